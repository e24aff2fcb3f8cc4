import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeConfig } from '@hqwatch/shared';
import { runProbe } from '../src/probes/index.ts';
import { runBounded } from '../src/monitor/bounded.ts';
import { waitFor } from './probes-listeners.ts';

const HOST = '127.77.4.1';

/** Resource counts by type (`TCPSocketWrap`, `Timeout`, `UDPWrap`…) of what keeps the loop alive. */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

function excess(baseline: Map<string, number>): string[] {
  return [...resources()].filter(([type, count]) => count > (baseline.get(type) ?? 0)).map(([type, count]) => `${type}: ${count}`);
}

describe('probe resources', () => {
  let child: ChildProcess;
  let ports: { hung: number; http503: number; garbage: number; silent: number };

  beforeAll(async () => {
    // The listeners live in another process, so every socket left here belongs to the probes.
    const script = fileURLToPath(new URL('./probes-listeners.ts', import.meta.url));
    child = spawn(process.execPath, ['--import', 'tsx', script, HOST], { stdio: ['pipe', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.stdout?.once('data', (data: Buffer) => resolve(String(data)));
    });
    ports = JSON.parse(line);
  });
  afterAll(() => {
    child.kill();
  });

  it('returns to the baseline of open handles after 1,000 failing probes', async () => {
    const kinds: { probe: ProbeConfig & { host?: string }; error: RegExp }[] = [
      { probe: { kind: 'tcp', port: 9, role: 'service' }, error: /^connection refused$/ },
      { probe: { kind: 'tcp', host: 'nohost.invalid', port: 4308, role: 'service' }, error: /^host not found/ },
      { probe: { kind: 'http', url: `http://${HOST}:${ports.hung}/`, role: 'service', timeout: 200 }, error: /^timeout after 200 ms$/ },
      { probe: { kind: 'http', url: `http://${HOST}:${ports.http503}/`, role: 'service' }, error: /^HTTP 503/ },
      { probe: { kind: 'http', url: 'http://nohost.invalid/', role: 'service' }, error: /^host not found/ },
      { probe: { kind: 'sip', port: ports.garbage, acceptCodes: [200], role: 'service' }, error: /^malformed SIP reply/ },
      { probe: { kind: 'sip', port: ports.silent, acceptCodes: [200], role: 'service', timeout: 200 }, error: /^timeout after 200 ms$/ },
      { probe: { kind: 'sip', host: 'nohost.invalid', port: 5060, acceptCodes: [200], role: 'service' }, error: /^host not found/ },
    ];
    // One probe of each kind first, so lazily created shared state (the SIP socket) is in the baseline's world.
    const before = resources();
    await Promise.all(kinds.map(({ probe }) => runProbe(probe, HOST, 1_000)));
    await waitFor(() => excess(before).length === 0, 2_000, 'warm-up probes to release their handles');
    const baseline = resources();

    const plan = Array.from({ length: 1_000 }, (_, i) => kinds[i % kinds.length]);
    // A default timeout far above the settle deadline below: a timer left armed would outlive it.
    const outcomes = await runBounded(
      plan.map(
        ({ probe }) =>
          () =>
            runProbe(probe, HOST, 10_000),
      ),
      100,
    );

    outcomes.forEach((outcome, i) => {
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toMatch(plan[i].error);
    });
    // Closing a socket takes a turn or two of the loop; nothing should take longer.
    await waitFor(() => excess(baseline).length === 0, 2_000).catch(() => {
      throw new Error(`handles above baseline: ${excess(baseline).join(', ')}`);
    });
  });
});
