import type { HistoryEvent, TimelineEntry } from '@hqwatch/shared';
import type { Sql } from './sql/sql.ts';
import { toMs } from './time.ts';

/** The append-only event log: transitions, node changes, windows, incidents and monitor gaps. */
export function eventsRepository(sql: Sql) {
  return {
    /** Adds an event written under leadership `term` (0 while there is no leadership). */
    async add(event: HistoryEvent, term: number): Promise<void> {
      await sql.run('INSERT INTO events (at, type, incident_id, data, term) VALUES (?, ?, ?, ?, ?)', [
        toMs(event.at),
        event.type,
        event.incidentId,
        JSON.stringify(event),
        term,
      ]);
    },
    /** The incident's events, oldest first, in the order they were recorded within a moment (impact changes live in their intervals). */
    async forIncident(incidentId: string): Promise<TimelineEntry[]> {
      const rows = await sql.all<{ data: string }>('SELECT data FROM events WHERE incident_id = ? ORDER BY at, id', [incidentId]);
      return rows.map((r) => JSON.parse(r.data) as TimelineEntry);
    },
  };
}
