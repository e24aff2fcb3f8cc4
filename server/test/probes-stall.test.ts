import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeConfig } from '@hqwatch/shared';
import { runBounded } from '../src/monitor/bounded.ts';
import { createScheduler, type Round } from '../src/monitor/scheduler.ts';
import { runProbe, type ProbeOutcome } from '../src/probes/index.ts';
import { answer, httpServer, sipServer, tcpServer, waitFor, type Listener } from './probes-listeners.ts';

const HOST = '127.77.5.1';
const tenOf = (probe: ProbeConfig): ProbeConfig[] => Array.from({ length: 10 }, () => probe);

describe('a 3 s synchronous stall of the event loop', () => {
  const listeners: Listener[] = [];
  let probes: ProbeConfig[];

  beforeAll(async () => {
    // Answers take 100 ms, so the probes are in flight when the stall hits.
    const http = await httpServer(HOST, (_req, res) => setTimeout(() => res.end('ok'), 100));
    const sip = await sipServer(HOST, answer(200, 'OK', 100));
    const tcp = await tcpServer(HOST, () => {});
    listeners.push(http, sip, tcp);
    probes = [
      ...tenOf({ kind: 'http', url: http.url, role: 'service' }),
      ...tenOf({ kind: 'sip', port: sip.port, acceptCodes: [200], role: 'service' }),
      ...tenOf({ kind: 'tcp', port: tcp.port, role: 'service' }),
    ];
  });
  afterAll(() => Promise.all(listeners.map((listener) => listener.close())));

  it('fails no probe, and the round after it is flagged late', async () => {
    const rounds: { round: Round; outcomes: ProbeOutcome[] }[] = [];
    const scheduler = createScheduler({
      intervalMs: 500,
      onRound: async (round) => {
        if (round.index === 1) {
          setTimeout(() => {
            const end = Date.now() + 3000;
            while (Date.now() < end);
          }, 30);
        }
        const outcomes = await runBounded(
          probes.map((probe) => () => runProbe(probe, HOST, 1_000)),
          64,
        );
        rounds.push({ round, outcomes });
      },
    });
    scheduler.start();
    try {
      await waitFor(() => rounds.length >= 4, 20_000, '4 rounds');
    } finally {
      await scheduler.stop();
    }

    const failures = rounds.flatMap(({ outcomes }) => outcomes.filter((outcome) => !outcome.ok));
    expect(failures).toEqual([]);
    // The stall did hit probes in flight: their latency, which includes it, is dropped.
    const stalled = rounds[1].outcomes.filter((outcome) => outcome.stalled);
    expect(stalled.length).toBeGreaterThan(0);
    expect(stalled.every((outcome) => outcome.latencyMs === null)).toBe(true);
    expect(rounds.map(({ round }) => round.late)).toEqual([false, false, true, ...rounds.slice(3).map(() => false)]);
  });
});
