import { spawn } from 'node:child_process';
import { judgeWithin, type Judged } from './deadline.ts';
import { describeError } from './errors.ts';
import { resolveAddress } from './resolve.ts';

/**
 * ICMP echo needs a raw or ICMP datagram socket, which Node cannot open; the system `ping` (setuid,
 * or allowed by `net.ipv4.ping_group_range`) can. One process per probe is heavy, which is fine for
 * the few host-reachability probes a topology has.
 */
const RTT = /time[=<]\s*([\d.]+)\s*ms/;

function pingArgs(address: string, timeoutMs: number): string[] {
  // -W is in whole seconds; our own deadline cuts it shorter when the probe's timeout is.
  return ['-n', '-c', '1', '-W', String(Math.max(1, Math.ceil(timeoutMs / 1000))), address];
}

function pingFailure(code: number | null, output: string): string {
  const line = output
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text.startsWith('ping:'));
  if (line) return line.replace(/^ping:\s*/, 'ping: ');
  return code === 1 ? 'no echo reply' : `ping exited with code ${code}`;
}

/** ICMP echo through the system `ping`. The host is resolved first, so `ping` only ever sees an address. */
export function probeIcmp(host: string, timeoutMs: number): Promise<Judged> {
  return judgeWithin(timeoutMs, (settle) => {
    let child: ReturnType<typeof spawn> | undefined;
    let released = false;
    resolveAddress(host).then(
      ({ address }) => {
        if (released) return;
        let output = '';
        child = spawn('ping', pingArgs(address, timeoutMs), { stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('error', (err) => settle({ ok: false, error: pingError(err) }));
        child.on('close', (code) => {
          const rtt = RTT.exec(output);
          if (code === 0) settle({ ok: true, latencyMs: rtt ? Number(rtt[1]) : undefined });
          else settle({ ok: false, error: pingFailure(code, output) });
        });
      },
      (err: unknown) => settle({ ok: false, error: describeError(err) }),
    );
    return () => {
      released = true;
      if (child && child.exitCode === null && child.signalCode === null) child.kill();
    };
  });
}

function pingError(err: Error): string {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the system ping command is not installed' : describeError(err);
}

let support: Promise<{ ok: boolean; reason?: string }> | undefined;

/**
 * Whether ICMP probes can work on this machine: one echo to 127.0.0.1 through `ping`. `check-config`
 * asks this when a config uses icmp probes, so a missing `ping` or a missing permission is said up
 * front rather than showing as every icmp probe failing. The answer is computed once.
 */
export function icmpSupport(): Promise<{ ok: boolean; reason?: string }> {
  support ??= probeIcmp('127.0.0.1', 2_000).then((judged) =>
    judged.ok ? { ok: true } : { ok: false, reason: `icmp probes cannot run here: ${judged.error ?? 'ping failed'}` },
  );
  return support;
}
