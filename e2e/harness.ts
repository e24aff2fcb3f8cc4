import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LiveState } from '@hqwatch/shared';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type LabState = 'serving' | 'stopped' | 'down' | 'hung' | 'slow' | 'sip-503' | 'flapping';

export interface HarnessOptions {
  /** Second octet of the lab's loopback addresses (127.N.x.y), unique per test. */
  octet: number;
  intervalMs?: number;
  failAfter?: number;
  scenario?: string;
  /** `--status-db URL`: the lab drives a ShoreWare status database there and the monitor reads it. */
  statusDb?: string;
  /** `--login-required`: reading needs a login too, as with `serve`. */
  loginRequired?: boolean;
  /** `--topology`: the demo's 12 sites, or the largest system (20 distributed servers, 500 sites). */
  topology?: 'demo' | 'largest';
  /** `--notify URL`: where the demo's webhook alerts go (by default 127.0.0.1:9099, where nothing need listen). */
  notify?: string;
}

/** A login the demo prints at start (new passwords each run). */
export interface DemoLogin {
  name: string;
  role: 'operator' | 'admin';
  password: string;
}

/**
 * A real `hqwatch demo` process (monitor + lab) driven from a test: nodes are set through the
 * lab's control API; the server can be killed and started again on the same port and data.
 */
export class Harness {
  baseURL = '';
  controlURL = '';
  readonly intervalMs: number;
  readonly failAfter: number;
  /** Accepted by the server for annotations (passed as HQWATCH_OPERATOR_TOKEN). */
  readonly operatorToken = `e2e-${randomBytes(12).toString('hex')}`;
  /** The demo's logins, read from its log at each start. */
  logins: DemoLogin[] = [];
  private child: ChildProcess | null = null;
  private port = 0;
  private readonly dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-e2e-'));
  private readonly logs: string[] = [];

  constructor(private readonly opts: HarnessOptions) {
    this.intervalMs = opts.intervalMs ?? 500;
    this.failAfter = opts.failAfter ?? 2;
  }

  async startServer(): Promise<void> {
    const args = [
      'bin/hqwatch.mjs',
      'demo',
      '--port',
      String(this.port),
      '--host',
      '127.0.0.1',
      '--data',
      this.dataDir,
      '--octet',
      String(this.opts.octet),
      '--control-port',
      '0',
      '--interval',
      `${this.intervalMs}ms`,
      '--fail-after',
      String(this.failAfter),
      '--scenario',
      this.opts.scenario ?? 'none',
      ...(this.opts.statusDb ? ['--status-db', this.opts.statusDb] : []),
      ...(this.opts.loginRequired ? ['--login-required'] : []),
      ...(this.opts.topology ? ['--topology', this.opts.topology] : []),
      ...(this.opts.notify ? ['--notify', this.opts.notify] : []),
    ];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HQWATCH_LOG_LEVEL: 'info', HQWATCH_OPERATOR_TOKEN: this.operatorToken },
    });
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => this.logs.push(chunk.toString()));
    if (process.env.HQWATCH_E2E_LOGS) {
      child.stdout!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    }
    const lines = createInterface({ input: child.stdout! });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hqwatch demo did not start:\n${this.logs.join('')}`)), 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`hqwatch demo exited with ${code}:\n${this.logs.join('')}`));
      });
      lines.on('line', (line) => {
        this.logs.push(line);
        let entry: { msg?: string; url?: string; controlUrl?: string; logins?: DemoLogin[] };
        try {
          entry = JSON.parse(line);
        } catch {
          return;
        }
        if (entry.logins) this.logins = entry.logins;
        if (entry.msg === 'lab control API' && entry.url) this.controlURL = entry.url;
        if (entry.msg === 'hqwatch listening' && entry.url) {
          this.baseURL = entry.url;
          this.port = Number(new URL(entry.url).port);
        }
        if (this.baseURL && this.controlURL) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Kills the server as a crash would (SIGKILL). */
  async stopServer(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.child = null;
  }

  async setNode(id: string, state: LabState, extra: { latencyMs?: number; periodMs?: number } = {}): Promise<void> {
    const res = await fetch(`${this.controlURL}/nodes/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state, ...extra }),
    });
    if (!res.ok) throw new Error(`lab refused ${id} → ${state}: ${res.status} ${await res.text()}`);
  }

  /** The password the demo printed for `name` this run. */
  password(name: 'operator' | 'admin'): string {
    const login = this.logins.find((l) => l.name === name);
    if (!login) throw new Error(`the demo printed no login for ${name}`);
    return login.password;
  }

  async state(): Promise<LiveState> {
    // The operator token reads whether or not the demo lets anonymous viewers read.
    const res = await fetch(`${this.baseURL}/api/state`, { headers: { authorization: `Bearer ${this.operatorToken}` } });
    return (await res.json()) as LiveState;
  }

  /** Polls `/api/state` until `predicate` holds or the deadline passes. */
  async waitForState(predicate: (state: LiveState) => boolean, timeoutMs = 20_000): Promise<LiveState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.state();
      if (predicate(state)) return state;
      if (Date.now() > deadline) throw new Error(`state not reached; last: ${state.hq.state}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async dispose(): Promise<void> {
    await this.stopServer();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
