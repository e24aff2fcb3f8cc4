import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icmpSupport, runProbe } from '../src/probes/index.ts';
import { waitFor } from './probes-listeners.ts';

const support = await icmpSupport();

describe('icmp probe', () => {
  it('says why icmp probes cannot run, or that they can', () => {
    if (support.ok) expect(support.reason).toBeUndefined();
    else expect(support.reason).toMatch(/^icmp probes cannot run here: .+/);
  });

  it('echoes 127.0.0.1 with the round-trip time ping measured', async (context) => {
    if (!support.ok) context.skip(support.reason);
    const outcome = await runProbe({ kind: 'icmp', host: '127.0.0.1', role: 'host' }, null, 2_000);
    expect(outcome).toMatchObject({ kind: 'icmp', target: '127.0.0.1', role: 'host', ok: true });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(outcome.latencyMs).toBeLessThan(100);
  });

  it('fails each icmp probe with the reason when ping cannot run', async (context) => {
    if (support.ok) context.skip('ping works on this machine');
    const outcome = await runProbe({ kind: 'icmp', role: 'host' }, '127.0.0.1', 1_000);
    expect(outcome.ok).toBe(false);
    expect(support.reason).toContain(outcome.error);
  });

  it('fails on a host name that does not resolve, before running ping', async () => {
    const outcome = await runProbe({ kind: 'icmp', host: 'nohost.invalid', role: 'host' }, null, 1_000);
    expect(outcome).toMatchObject({ ok: false, target: 'nohost.invalid', error: 'host not found: nohost.invalid' });
  });
});

describe('icmp probe reading ping', () => {
  // A stand-in `ping` first on PATH, answering by target as iputils ping does.
  const fakePing = `#!/bin/sh
for last; do :; done
case "$last" in
  127.77.6.1) echo "64 bytes from $last: icmp_seq=1 ttl=64 time=0.042 ms"; exit 0 ;;
  127.77.6.2) echo "1 packets transmitted, 0 received, 100% packet loss"; exit 1 ;;
  127.77.6.3) echo "ping: socket: Operation not permitted" >&2; exit 2 ;;
  *) exec sleep 5 ;;
esac
`;
  let savedPath: string | undefined;

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'hqwatch-ping-'));
    writeFileSync(join(dir, 'ping'), fakePing, { mode: 0o755 });
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}${delimiter}${savedPath ?? ''}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
  });

  it.each([
    { host: '127.77.6.1', expected: { ok: true, latencyMs: 0.042 } },
    { host: '127.77.6.2', expected: { ok: false, latencyMs: null, error: 'no echo reply' } },
    { host: '127.77.6.3', expected: { ok: false, latencyMs: null, error: 'ping: socket: Operation not permitted' } },
    { host: '127.77.6.4', expected: { ok: false, latencyMs: null, error: 'timeout after 300 ms' } },
  ])('judges $host', async ({ host, expected }) => {
    const outcome = await runProbe({ kind: 'icmp', host, role: 'host' }, null, 300);
    expect(outcome).toMatchObject({ kind: 'icmp', target: host, ...expected });
  });

  it('leaves no ping process behind after a timeout', async () => {
    await runProbe({ kind: 'icmp', host: '127.77.6.4', role: 'host' }, null, 100);
    await waitFor(() => !process.getActiveResourcesInfo().includes('ProcessWrap'), 2_000, 'ping to exit');
  });
});
