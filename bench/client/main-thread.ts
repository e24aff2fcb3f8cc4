/** Reading main-thread task durations out of a Chromium trace. */

/** One event of a Chromium trace, with the fields these readers use. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; elementCount?: number; beginData?: Record<string, unknown>; endData?: Record<string, unknown> };
}

export interface Task {
  /** Wall-clock duration: how long the page could not respond. */
  wallMs: number;
  /** Time the thread was on a CPU: the work itself, whatever else the machine was doing. */
  cpuMs: number;
  /** When it began, from the trace's first task. */
  atMs: number;
}

/**
 * Every task the renderer main thread ran, from a Chromium trace: the `RunTask` events on the
 * thread named `CrRendererMain`. Unlike the Long Tasks API, which only reports tasks of 50 ms or
 * more, this sees every task, so "the longest task" is a figure even when it is short.
 * Tasks of the first `skipMs` are left out: starting the trace is itself a long task.
 */
export function mainThreadTasks(trace: Buffer | string, skipMs = 500): Task[] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.dur !== undefined && main.has(`${e.pid}:${e.tid}`));
  const start = Math.min(...tasks.map((e) => e.ts));
  return tasks
    .filter((e) => e.ts >= start + skipMs * 1000)
    .map((e) => ({ wallMs: e.dur! / 1000, cpuMs: (e.tdur ?? e.dur!) / 1000, atMs: (e.ts - start) / 1000 }));
}
