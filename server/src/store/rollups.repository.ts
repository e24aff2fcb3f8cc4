import { decodeHour, encodeHour, mergeMinute, type MinuteStats } from './rollup-codec.ts';
import type { ProbeKey, ProbeMinute } from './rollup-aggregator.ts';
import type { Sql } from './sql/sql.ts';

export interface ProbeSeries {
  probe: ProbeKey;
  minutes: MinuteStats[];
}

/** Probe key → id, kept across transactions; cleared after a failed one that may have created ids. */
export type ProbeIds = Map<string, number>;

/** Per-minute probe latency rollups, one row per probe per hour; the only data retention deletes. */
export function rollupsRepository(sql: Sql, ids: ProbeIds = new Map()) {
  async function probeId(p: ProbeKey): Promise<number> {
    const key = `${p.nodeId}\u0000${p.kind}\u0000${p.target}`;
    let id = ids.get(key);
    if (id === undefined) {
      const found = await sql.get<{ id: number }>('SELECT id FROM probes WHERE node_id = ? AND kind = ? AND target = ?', [
        p.nodeId,
        p.kind,
        p.target,
      ]);
      id =
        found?.id ??
        (await sql.get<{ id: number }>('INSERT INTO probes (node_id, kind, target) VALUES (?, ?, ?) RETURNING id', [
          p.nodeId,
          p.kind,
          p.target,
        ]))!.id;
      ids.set(key, id);
    }
    return id;
  }

  return {
    /**
     * Writes minutes into their hour rows, merging with what the row holds (a minute split by a
     * restart is counted once). Call inside a transaction.
     */
    async write(minutes: readonly ProbeMinute[]): Promise<void> {
      const groups = new Map<string, { id: number; hour: number; minutes: MinuteStats[] }>();
      for (const m of minutes) {
        const id = await probeId(m.probe);
        const hour = Math.floor(m.minute / 60);
        const key = `${id}:${hour}`;
        const group = groups.get(key) ?? { id, hour, minutes: [] };
        group.minutes.push(m);
        groups.set(key, group);
      }
      for (const { id, hour, minutes: fresh } of groups.values()) {
        const row = await sql.get<{ minutes: Buffer }>('SELECT minutes FROM probe_rollups WHERE hour = ? AND probe_id = ?', [hour, id]);
        const byMinute = new Map((row ? decodeHour(hour, row.minutes) : []).map((m) => [m.minute, m]));
        for (const m of fresh) {
          const { probe: _probe, ...stats } = m as ProbeMinute;
          const held = byMinute.get(stats.minute);
          byMinute.set(stats.minute, held ? mergeMinute(held, stats) : stats);
        }
        await sql.run(
          'INSERT INTO probe_rollups (hour, probe_id, minutes) VALUES (?, ?, ?) ON CONFLICT (hour, probe_id) DO UPDATE SET minutes = excluded.minutes',
          [hour, id, encodeHour(hour, [...byMinute.values()])],
        );
      }
    },
    /** Every probe of a node with its minutes in [fromMinute, toMinute]. */
    async series(nodeId: string, fromMinute: number, toMinute: number): Promise<ProbeSeries[]> {
      const probes = await sql.all<ProbeKey & { id: number }>(
        'SELECT id, node_id AS "nodeId", kind, target FROM probes WHERE node_id = ? ORDER BY id',
        [nodeId],
      );
      return Promise.all(
        probes.map(async ({ id, ...probe }) => {
          const rows = await sql.all<{ hour: number; minutes: Buffer }>(
            'SELECT hour, minutes FROM probe_rollups WHERE hour BETWEEN ? AND ? AND probe_id = ? ORDER BY hour',
            [Math.floor(fromMinute / 60), Math.floor(toMinute / 60), id],
          );
          const minutes = rows.flatMap((r) => decodeHour(r.hour, r.minutes)).filter((m) => m.minute >= fromMinute && m.minute <= toMinute);
          return { probe, minutes };
        }),
      );
    },
    /** Drops cached probe ids after a rolled-back write that may have created them. */
    forgetIds(): void {
      ids.clear();
    },
    /** Deletes rollups of hours before `hour`; returns how many rows went. */
    async deleteBefore(hour: number): Promise<number> {
      return (await sql.run('DELETE FROM probe_rollups WHERE hour < ?', [hour])).changes;
    },
  };
}

export type RollupsRepository = ReturnType<typeof rollupsRepository>;
