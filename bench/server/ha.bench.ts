/**
 * Leader takeover: a monitor pair (`hqwatch serve` ×2 with `ha`, one PostgreSQL schema) against a
 * lab on loopback. Each trial kills the leader with SIGKILL and times how long until the standby
 * (1) holds the new term and (2) has committed its first round under it (`store_writer` read every
 * 10 ms); the killed one is started again as the next standby. At the default interval (2 s) and at
 * 500 ms, with the default heartbeat (1 s) and lease (5 s). Goals: median < 10 s at the default
 * interval, < 3 s at 500 ms.
 *
 * Run: npx tsx bench/server/ha.bench.ts [--trials 10]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { labConfig, smallTopology, startLab } from '@hqwatch/server/lab';
import { parsePostgresUrl } from '@hqwatch/server/store/backend-postgres';
import { summarize, type Summary } from '../lib/stats.ts';

const BIN = fileURLToPath(new URL('../../bin/hqwatch.mjs', import.meta.url));
const OCTET = 221;

export interface TakeoverFigures {
  intervalMs: number;
  /** kill -9 → the standby holds the new term, per trial (ms). */
  leadRuns: number[];
  /** kill -9 → the standby's first round committed under it, per trial (ms). */
  firstWriteRuns: number[];
  firstWrite: Summary;
}

interface Member {
  child: ChildProcess;
  exited: Promise<void>;
}

function startMember(configFile: string, dataDir: string): Member {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile, '--port', '0', '--host', '127.0.0.1', '--data', dataDir], {
    env: { ...process.env, HQWATCH_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  return { child, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Trials at one monitor interval, on a schema of its own. */
async function takeovers(intervalMs: number, trials: number, log: (line: string) => void): Promise<TakeoverFigures> {
  const schema = `hqw_bench_${randomBytes(4).toString('hex')}`;
  const url = `postgres://127.0.0.1:5432/test?schema=${schema}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-ha-bench-'));
  const topology = smallTopology(OCTET);
  const lab = await startLab(topology);
  const db = new pg.Client({ connectionString: parsePostgresUrl(url).connectionString });
  await db.connect();
  const members: (Member | null)[] = [null, null];
  const leadRuns: number[] = [];
  const firstWriteRuns: number[] = [];
  try {
    const settings = {
      intervalMs,
      timeoutMs: Math.min(1_000, intervalMs / 2),
      failAfter: 2,
      recoverAfter: 2,
      expectedWindow: { minMs: 5_000, maxMs: 60_000 },
    };
    const files = ['a', 'b'].map((instance) => {
      const file = path.join(dir, `${instance}.yaml`);
      writeFileSync(file, JSON.stringify({ ...labConfig(topology, lab, settings), store: { kind: 'postgres', url }, ha: { instance } }));
      return file;
    });
    const position = async () => {
      const rows = await db
        .query<{ term: string; seq: string }>(`SELECT term, seq FROM "${schema}".store_writer WHERE id = 1`)
        .catch(() => null);
      const row = rows?.rows[0];
      return row ? { term: Number(row.term), seq: Number(row.seq) } : undefined;
    };
    const leaderOf = async () =>
      (await db.query<{ instance: string }>(`SELECT instance FROM "${schema}".cluster_leader WHERE id = 1`).catch(() => null))?.rows[0]
        ?.instance;
    members[0] = startMember(files[0]!, path.join(dir, 'a'));
    await until(async () => ((await position())?.seq ?? 0) > 0 || undefined, 30_000, 'the first leader writing');
    const dbNow = async () =>
      Number((await db.query<{ now: string }>('SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS now')).rows[0]!.now);
    let standbySince = await dbNow();
    members[1] = startMember(files[1]!, path.join(dir, 'b'));
    for (let trial = 0; trial < trials; trial++) {
      // Both up: the standby (started again after the last trial) has said so since it started.
      await until(
        async () => {
          const rows = await db
            .query<{ instance: string; role: string; heartbeat_at: string }>(
              `SELECT instance, role, heartbeat_at FROM "${schema}".cluster_members`,
            )
            .catch(() => null);
          const fresh = (rows?.rows ?? []).filter((r) => Number(r.heartbeat_at) > standbySince);
          return fresh.some((r) => r.role === 'standby') && fresh.some((r) => r.role === 'leader') ? true : undefined;
        },
        60_000,
        'a leader and a standby',
      );
      await new Promise((r) => setTimeout(r, 1_000 + Math.random() * intervalMs));
      const leader = await leaderOf();
      const which = leader === 'a' ? 0 : 1;
      const before = (await position())!;
      const killedAt = performance.now();
      members[which]!.child.kill('SIGKILL');
      const led = await until(
        async () => {
          const p = await position();
          return p && p.term > before.term ? p : undefined;
        },
        30_000,
        'the new term',
      );
      const ledMs = performance.now() - killedAt;
      await until(
        async () => {
          const p = await position();
          return p && p.term > before.term && p.seq > led.seq ? p : undefined;
        },
        30_000,
        'the first write of the new term',
      );
      const firstMs = performance.now() - killedAt;
      leadRuns.push(ledMs);
      firstWriteRuns.push(firstMs);
      log(
        `  interval ${intervalMs} ms, trial ${trial + 1}: leads after ${ledMs.toFixed(0)} ms, first round committed after ${firstMs.toFixed(0)} ms`,
      );
      await members[which]!.exited;
      standbySince = await dbNow();
      members[which] = startMember(files[which]!, path.join(dir, which === 0 ? 'a' : 'b'));
    }
  } finally {
    for (const m of members) m?.child.kill('SIGKILL');
    await Promise.all(members.map((m) => m?.exited));
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.end();
    await lab.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { intervalMs, leadRuns, firstWriteRuns, firstWrite: summarize(firstWriteRuns) };
}

export async function runTakeoverBench(options: { trials?: number; log?: (line: string) => void } = {}): Promise<TakeoverFigures[]> {
  const log = options.log ?? (() => {});
  const trials = options.trials ?? 10;
  return [await takeovers(2_000, trials, log), await takeovers(500, trials, log)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { trials: { type: 'string' } } });
  const figures = await runTakeoverBench({ trials: Number(values.trials ?? 10), log: console.log });
  for (const f of figures)
    console.log(
      `interval ${f.intervalMs} ms: first round after kill -9, median ${f.firstWrite.median.toFixed(0)} ms, p95 ${f.firstWrite.p95.toFixed(0)} ms`,
    );
}
