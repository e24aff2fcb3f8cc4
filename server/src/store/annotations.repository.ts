import type { Annotation, AnnotationEvent } from '@hqwatch/shared';
import { anyOf } from './sql/dialect.ts';
import type { Sql } from './sql/sql.ts';
import { toIso } from './time.ts';

interface AnnotationRow {
  id: string;
  incidentId: string;
  at: number;
  createdAt: number;
  text: string;
  followUp: number;
}

const COLUMNS = 'id, incident_id AS "incidentId", at, created_at AS "createdAt", text, follow_up AS "followUp"';

function read(row: AnnotationRow): Annotation {
  return {
    id: row.id,
    incidentId: row.incidentId,
    at: toIso(row.at),
    createdAt: toIso(row.createdAt),
    text: row.text,
    followUp: Number(row.followUp) === 1,
  };
}

/** Operators' notes on incidents; the text is bound as a parameter and kept exactly as given. */
export function annotationsRepository(sql: Sql) {
  const forIncident = async (incidentId: string): Promise<Annotation[]> =>
    (await sql.all<AnnotationRow>(`SELECT ${COLUMNS} FROM annotations WHERE incident_id = ? ORDER BY at, created_at`, [incidentId])).map(
      read,
    );
  return {
    async add(row: AnnotationRow): Promise<Annotation> {
      await sql.run('INSERT INTO annotations (id, incident_id, at, created_at, text, follow_up) VALUES (?, ?, ?, ?, ?, ?)', [
        row.id,
        row.incidentId,
        row.at,
        row.createdAt,
        row.text,
        row.followUp,
      ]);
      return read(row);
    },
    /** Marks a note as a follow-up or not; null when the incident has no such note. */
    async setFollowUp(incidentId: string, id: string, followUp: boolean): Promise<Annotation | null> {
      const changed = await sql.run('UPDATE annotations SET follow_up = ? WHERE incident_id = ? AND id = ?', [
        followUp ? 1 : 0,
        incidentId,
        id,
      ]);
      if (changed.changes === 0) return null;
      const row = await sql.get<AnnotationRow>(`SELECT ${COLUMNS} FROM annotations WHERE incident_id = ? AND id = ?`, [incidentId, id]);
      return row ? read(row) : null;
    },
    forIncident,
    /** Annotations as timeline events. */
    async eventsFor(incidentId: string): Promise<AnnotationEvent[]> {
      return (await forIncident(incidentId)).map((a) => ({
        type: 'annotation',
        at: a.at,
        incidentId,
        id: a.id,
        text: a.text,
        createdAt: a.createdAt,
        followUp: a.followUp,
      }));
    },
    async countsFor(ids: readonly string[]): Promise<Map<string, number>> {
      if (ids.length === 0) return new Map();
      const among = anyOf(sql, 'incident_id', ids);
      const rows = await sql.all<{ id: string; n: number }>(
        `SELECT incident_id AS id, count(*) AS n FROM annotations WHERE ${among.text} GROUP BY incident_id`,
        among.params,
      );
      return new Map(rows.map((r) => [r.id, r.n]));
    },
  };
}
