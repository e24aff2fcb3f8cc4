import type { Database } from 'better-sqlite3';
import { decodeHour, encodeHour, mergeMinute, type MinuteStats } from './rollup-codec.ts';
import type { ProbeKey, ProbeMinute } from './rollup-aggregator.ts';

export interface ProbeSeries {
  probe: ProbeKey;
  minutes: MinuteStats[];
}

/** Per-minute probe latency rollups, one row per probe per hour; the only data retention deletes. */
export function rollupsRepository(db: Database) {
  const findProbe = db.prepare('SELECT id FROM probes WHERE node_id = ? AND kind = ? AND target = ?').pluck();
  const addProbe = db.prepare('INSERT INTO probes (node_id, kind, target) VALUES (?, ?, ?)');
  const probesOf = db.prepare('SELECT id, node_id AS nodeId, kind, target FROM probes WHERE node_id = ? ORDER BY id');
  const getHour = db.prepare('SELECT minutes FROM probe_rollups WHERE hour = ? AND probe_id = ?').pluck();
  const putHour = db.prepare('INSERT OR REPLACE INTO probe_rollups (hour, probe_id, minutes) VALUES (?, ?, ?)');
  const hoursOf = db.prepare('SELECT hour, minutes FROM probe_rollups WHERE hour BETWEEN ? AND ? AND probe_id = ? ORDER BY hour');
  const deleteBefore = db.prepare('DELETE FROM probe_rollups WHERE hour < ?');
  const ids = new Map<string, number>();

  function probeId(p: ProbeKey): number {
    const key = `${p.nodeId}\u0000${p.kind}\u0000${p.target}`;
    let id = ids.get(key);
    if (id === undefined) {
      id =
        (findProbe.get(p.nodeId, p.kind, p.target) as number | undefined) ??
        Number(addProbe.run(p.nodeId, p.kind, p.target).lastInsertRowid);
      ids.set(key, id);
    }
    return id;
  }

  return {
    /**
     * Writes minutes into their hour rows, merging with what the row holds (a minute split by a
     * restart is counted once). Call inside a transaction.
     */
    write(minutes: readonly ProbeMinute[]): void {
      const groups = new Map<string, { id: number; hour: number; minutes: MinuteStats[] }>();
      for (const m of minutes) {
        const id = probeId(m.probe);
        const hour = Math.floor(m.minute / 60);
        const key = `${id}:${hour}`;
        const group = groups.get(key) ?? { id, hour, minutes: [] };
        group.minutes.push(m);
        groups.set(key, group);
      }
      for (const { id, hour, minutes: fresh } of groups.values()) {
        const blob = getHour.get(hour, id) as Buffer | undefined;
        const byMinute = new Map((blob ? decodeHour(hour, blob) : []).map((m) => [m.minute, m]));
        for (const m of fresh) {
          const { probe: _probe, ...stats } = m as ProbeMinute;
          const held = byMinute.get(stats.minute);
          byMinute.set(stats.minute, held ? mergeMinute(held, stats) : stats);
        }
        putHour.run(hour, id, encodeHour(hour, [...byMinute.values()]));
      }
    },
    /** Every probe of a node with its minutes in [fromMinute, toMinute]. */
    series(nodeId: string, fromMinute: number, toMinute: number): ProbeSeries[] {
      const probes = probesOf.all(nodeId) as (ProbeKey & { id: number })[];
      return probes.map(({ id, ...probe }) => {
        const rows = hoursOf.all(Math.floor(fromMinute / 60), Math.floor(toMinute / 60), id) as { hour: number; minutes: Buffer }[];
        const minutes = rows.flatMap((r) => decodeHour(r.hour, r.minutes)).filter((m) => m.minute >= fromMinute && m.minute <= toMinute);
        return { probe, minutes };
      });
    },
    /** Drops cached probe ids after a rolled-back write that may have created them. */
    forgetIds(): void {
      ids.clear();
    },
    /** Deletes rollups of hours before `hour`; returns how many rows went. */
    deleteBefore(hour: number): number {
      return deleteBefore.run(hour).changes;
    },
  };
}

export type RollupsRepository = ReturnType<typeof rollupsRepository>;
