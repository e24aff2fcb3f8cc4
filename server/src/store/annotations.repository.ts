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
}

const COLUMNS = 'id, incident_id AS "incidentId", at, created_at AS "createdAt", text';

function read(row: AnnotationRow): Annotation {
  return { id: row.id, incidentId: row.incidentId, at: toIso(row.at), createdAt: toIso(row.createdAt), text: row.text };
}

/** Operators' notes on incidents; the text is bound as a parameter and kept exactly as given. */
export function annotationsRepository(sql: Sql) {
  const forIncident = async (incidentId: string): Promise<Annotation[]> =>
    (await sql.all<AnnotationRow>(`SELECT ${COLUMNS} FROM annotations WHERE incident_id = ? ORDER BY at, created_at`, [incidentId])).map(
      read,
    );
  return {
    async add(row: AnnotationRow): Promise<Annotation> {
      await sql.run('INSERT INTO annotations (id, incident_id, at, created_at, text) VALUES (?, ?, ?, ?, ?)', [
        row.id,
        row.incidentId,
        row.at,
        row.createdAt,
        row.text,
      ]);
      return read(row);
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
