/**
 * Benchmark processes: a TypeScript module run by Node through tsx in its own process, talking to
 * its parent over the IPC channel. Isolation keeps one process's CPU and memory out of another's
 * figures, and lets a process raise its own open-file limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Message = { type: string } & Record<string, unknown>;

export interface ChildOptions {
  args?: string[];
  /** Open-file limit to ask for (capped by the hard limit when that is lower). */
  openFiles?: number;
  env?: Record<string, string>;
  /** Extra Node flags, e.g. `--expose-gc`. */
  nodeFlags?: string[];
}

export interface Child {
  process: ChildProcess;
  send(message: Message): void;
  /** The next message of `type` (earlier ones of that type included, if not yet taken). */
  next<T extends Message = Message>(type: string, timeoutMs: number): Promise<T>;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** Asks politely (disconnect), then kills after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

const TSX = fileURLToPath(import.meta.resolve('tsx'));

/** Starts `file` (a path to a .ts module) under Node with tsx, optionally with a raised open-file limit. */
export function startChild(file: string, options: ChildOptions = {}): Child {
  const nodeArgs = [...(options.nodeFlags ?? []), '--import', TSX, file, ...(options.args ?? [])];
  const env = { ...process.env, ...options.env };
  const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
  const proc =
    options.openFiles === undefined
      ? spawn(process.execPath, nodeArgs, { stdio, env })
      : spawn(
          'bash',
          ['-c', `ulimit -n ${options.openFiles} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`, process.execPath, ...nodeArgs],
          { stdio, env },
        );

  const inbox: Message[] = [];
  const waiting: { type: string; resolve: (m: Message) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  let ended: Error | null = null;
  proc.on('message', (raw) => {
    const message = raw as Message;
    const i = waiting.findIndex((w) => w.type === message.type);
    if (i < 0) return void inbox.push(message);
    const [w] = waiting.splice(i, 1);
    clearTimeout(w.timer);
    w.resolve(message);
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code, signal) => {
      ended = new Error(`${file} exited (${signal ?? `code ${code}`})`);
      for (const w of waiting.splice(0)) {
        clearTimeout(w.timer);
        w.reject(ended);
      }
      resolve(code);
    });
  });

  return {
    process: proc,
    send(message) {
      if (proc.connected) proc.send(message);
    },
    next<T extends Message>(type: string, timeoutMs: number): Promise<T> {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as T);
      if (ended) return Promise.reject(ended);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          const at = waiting.findIndex((w) => w.timer === timer);
          if (at >= 0) waiting.splice(at, 1);
          reject(new Error(`${file}: no "${type}" message within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push({ type, resolve: resolve as (m: Message) => void, reject, timer });
      });
    },
    exited,
    async stop(graceMs = 5_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      if (proc.connected) proc.disconnect();
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** In a child: sends a message to the parent (a no-op when run by hand, without a parent); resolves once sent. */
export function tellParent(message: Message): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** In a child: calls `handler` for each message of the parent; `onDisconnect` when the parent lets go. */
export function onParent(handler: (message: Message) => void, onDisconnect: () => void): void {
  process.on('message', (raw) => handler(raw as Message));
  process.on('disconnect', onDisconnect);
}
