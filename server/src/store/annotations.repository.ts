import type { Database } from 'better-sqlite3';
import type { Annotation, AnnotationEvent } from '@hqwatch/shared';
import { toIso } from './time.ts';

interface AnnotationRow {
  id: string;
  incidentId: string;
  at: number;
  createdAt: number;
  text: string;
}

const COLUMNS = 'id, incident_id AS incidentId, at, created_at AS createdAt, text';

function read(row: AnnotationRow): Annotation {
  return { id: row.id, incidentId: row.incidentId, at: toIso(row.at), createdAt: toIso(row.createdAt), text: row.text };
}

/** Operators' notes on incidents; the text is bound as a parameter and kept exactly as given. */
export function annotationsRepository(db: Database) {
  const insert = db.prepare(
    'INSERT INTO annotations (id, incident_id, at, created_at, text) VALUES (:id, :incidentId, :at, :createdAt, :text)',
  );
  const byIncident = db.prepare(`SELECT ${COLUMNS} FROM annotations WHERE incident_id = ? ORDER BY at, created_at`);
  const counts = db.prepare(
    'SELECT incident_id AS id, count(*) AS n FROM annotations WHERE incident_id IN (SELECT value FROM json_each(?)) GROUP BY incident_id',
  );
  return {
    add(row: AnnotationRow): Annotation {
      insert.run(row);
      return read(row);
    },
    forIncident(incidentId: string): Annotation[] {
      return (byIncident.all(incidentId) as AnnotationRow[]).map(read);
    },
    /** Annotations as timeline events. */
    eventsFor(incidentId: string): AnnotationEvent[] {
      return this.forIncident(incidentId).map((a) => ({
        type: 'annotation',
        at: a.at,
        incidentId,
        id: a.id,
        text: a.text,
        createdAt: a.createdAt,
      }));
    },
    countsFor(ids: readonly string[]): Map<string, number> {
      if (ids.length === 0) return new Map();
      return new Map((counts.all(JSON.stringify(ids)) as { id: string; n: number }[]).map((r) => [r.id, r.n]));
    },
  };
}

export type AnnotationsRepository = ReturnType<typeof annotationsRepository>;
