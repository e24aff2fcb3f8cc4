/**
 * A keep-alive HTTP load generator in its own process (so its CPU is not the server's), driven by
 * the parent over IPC: `{ type: 'run', … }` answers `{ type: 'result', … }`.
 * - `rate`: open loop — `rate` requests a second on schedule whatever the answers; a request's
 *   latency counts from when it was due, so a server falling behind shows as latency, not as
 *   fewer requests (no coordinated omission).
 * - `max`: closed loop — `connections` clients, each sending its next request when the last is answered.
 */
import { Agent, request } from 'node:http';
import { onParent, tellParent, type Message } from '../lib/child.ts';

export interface LoadRun {
  url: string;
  path: string;
  mode: 'rate' | 'max';
  /** Requests a second (`rate`). */
  rate: number;
  seconds: number;
  connections: number;
  headers: Record<string, string>;
}

export interface LoadResult {
  sent: number;
  completed: number;
  errors: number;
  /** Requests due but not sent because too many were outstanding (the server fell far behind). */
  dropped: number;
  statuses: Record<string, number>;
  /** Milliseconds, sorted ascending. */
  latencies: number[];
  bytes: number;
  elapsedMs: number;
}

/** More outstanding requests than this and the server has fallen far behind: later ones are dropped, counted. */
const MAX_OUTSTANDING = 5_000;

async function run(r: LoadRun): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: r.connections });
  const target = new URL(r.path, r.url);
  const out: LoadResult = { sent: 0, completed: 0, errors: 0, dropped: 0, statuses: {}, latencies: [], bytes: 0, elapsedMs: 0 };
  let outstanding = 0;
  const start = performance.now();
  const end = start + r.seconds * 1_000;

  const one = (dueAt: number) =>
    new Promise<void>((resolve) => {
      out.sent += 1;
      outstanding += 1;
      const done = (ok: boolean) => {
        outstanding -= 1;
        if (ok) {
          out.completed += 1;
          out.latencies.push(performance.now() - dueAt);
        } else out.errors += 1;
        resolve();
      };
      const req = request(target, { agent, headers: r.headers }, (res) => {
        out.statuses[res.statusCode ?? 0] = (out.statuses[res.statusCode ?? 0] ?? 0) + 1;
        res.on('data', (chunk: Buffer) => (out.bytes += chunk.length));
        res.on('end', () => done(true));
        res.on('error', () => done(false));
      });
      req.on('error', () => done(false));
      req.end();
    });

  if (r.mode === 'max') {
    await Promise.all(
      Array.from({ length: r.connections }, async () => {
        while (performance.now() < end) await one(performance.now());
      }),
    );
  } else {
    const interval = 1_000 / r.rate;
    let due = 0;
    while (performance.now() < end) {
      const now = performance.now();
      for (; start + due * interval <= now && start + due * interval < end; due++) {
        if (outstanding >= MAX_OUTSTANDING) out.dropped += 1;
        else void one(start + due * interval);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // Answers still on their way count (late), up to 10 s.
    const deadline = performance.now() + 10_000;
    while (outstanding > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  out.elapsedMs = performance.now() - start;
  out.latencies.sort((a, b) => a - b);
  agent.destroy();
  return out;
}

onParent(
  (message: Message) => {
    if (message.type !== 'run') return;
    void run(message as unknown as LoadRun).then((result) => tellParent({ type: 'result', ...result }));
  },
  () => process.exit(0),
);
void tellParent({ type: 'ready' });
