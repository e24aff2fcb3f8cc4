import type { Database } from 'better-sqlite3';
import type { HistoryEvent, TimelineEntry } from '@hqwatch/shared';
import { toMs } from './time.ts';

/** The append-only event log: transitions, node changes, windows, incidents and monitor gaps. */
export function eventsRepository(db: Database) {
  const insert = db.prepare('INSERT INTO events (at, type, incident_id, data) VALUES (?, ?, ?, ?)');
  const byIncident = db.prepare('SELECT data FROM events WHERE incident_id = ? ORDER BY at, id').pluck();
  return {
    add(event: HistoryEvent): void {
      insert.run(toMs(event.at), event.type, event.incidentId, JSON.stringify(event));
    },
    /** The incident's events, oldest first, in the order they were recorded within a moment (impact changes live in their intervals). */
    forIncident(incidentId: string): TimelineEntry[] {
      return (byIncident.all(incidentId) as string[]).map((data) => JSON.parse(data) as TimelineEntry);
    },
  };
}

export type EventsRepository = ReturnType<typeof eventsRepository>;
