import type { Database } from 'better-sqlite3';
import type { HistoryEvent, MonitorGapEvent } from '@hqwatch/shared';
import type { EventsRepository } from './events.repository.ts';
import type { ImpactRepository } from './impact.repository.ts';
import type { IncidentsRepository } from './incidents.repository.ts';
import type { RunsRepository } from './runs.repository.ts';
import type { SnapshotsRepository } from './snapshots.repository.ts';
import { toIso } from './time.ts';

/** One engine round's worth of writes, committed together or not at all. */
export interface Batch {
  events: HistoryEvent[];
  atMs: number;
  /** The engine core as JSON when it changed in a way that shows, else null. */
  snapshot: string | null;
  /** The incident open in that core, for a gap recorded by this batch. */
  incidentId: string | null;
}

export interface Repositories {
  events: EventsRepository;
  incidents: IncidentsRepository;
  impact: ImpactRepository;
  snapshots: SnapshotsRepository;
  runs: RunsRepository;
}

interface Run {
  id: number;
  startedAt: number;
}

/**
 * Writes batches of history events into the repositories. In-memory state (the current monitor
 * run) only changes after a commit, so a failed batch can be retried as if it had never started.
 */
export function createRecorder(db: Database, repos: Repositories) {
  let run: Run | null = null;

  /** Inside a transaction: the current run, started now (with the gap before it) if there is none. */
  function currentRun(atMs: number, incidentId: string | null): { run: Run; gap: MonitorGapEvent | null } {
    if (run) {
      repos.runs.touch(run.id, atMs);
      return { run, gap: null };
    }
    const previous = repos.runs.last();
    let gap: MonitorGapEvent | null = null;
    if (previous && previous.lastSeenAt < atMs) {
      const from = toIso(previous.lastSeenAt);
      gap = { type: 'monitor-gap', at: from, incidentId, from, to: toIso(atMs), durationMs: atMs - previous.lastSeenAt };
      repos.events.add(gap);
    }
    return { run: { id: repos.runs.start(atMs), startedAt: atMs }, gap };
  }

  function recordWorst(incidentIds: Set<string>, atMs: number): void {
    const down = repos.impact.openDown();
    const impacted = [...new Set(down.map((d) => d.siteId))].sort();
    const telephony = [...new Set(down.filter((d) => d.service === 'telephony').map((d) => d.siteId))].sort();
    for (const id of incidentIds) {
      const held = repos.incidents.worst(id);
      const worse =
        !held ||
        telephony.length > held.telephony.length ||
        (telephony.length === held.telephony.length && impacted.length > held.impacted.length);
      if (worse && impacted.length > 0) repos.incidents.setWorst(id, { at: atMs, impacted, telephony });
    }
  }

  function apply(event: HistoryEvent, heldSinceMs: number): void {
    switch (event.type) {
      case 'impact-changed':
        repos.impact.change(event, heldSinceMs);
        return; // kept as intervals; the timeline rebuilds the changes from them
      case 'incident-opened':
        repos.incidents.opened(event);
        repos.impact.adoptOpen(event.incidentId);
        break;
      case 'incident-closed':
        repos.incidents.closed(event);
        break;
      case 'window-opened':
        repos.incidents.windowOpened(event);
        break;
      case 'window-closed':
        repos.incidents.windowClosed(event);
        break;
      default:
        break;
    }
    repos.events.add(event);
  }

  const writeBatch = db.transaction((batch: Batch) => {
    const current = currentRun(batch.atMs, batch.incidentId);
    if (batch.snapshot !== null) repos.snapshots.add(batch.atMs, batch.snapshot);
    const touched = new Set<string>();
    for (const event of batch.events) {
      apply(event, current.run.startedAt);
      if (event.type === 'impact-changed' && event.incidentId) touched.add(event.incidentId);
    }
    if (touched.size > 0) recordWorst(touched, batch.atMs);
    return current;
  });

  const touchRun = db.transaction((atMs: number, incidentId: string | null) => currentRun(atMs, incidentId));

  return {
    /** Commits a batch; throws (and changes nothing) if the database refuses it. Returns the gap it recorded, if any. */
    write(batch: Batch): MonitorGapEvent | null {
      const result = writeBatch(batch);
      run = result.run;
      return result.gap;
    },
    /** Marks the monitor alive at `atMs`, starting its run (and recording the gap before it) if needed. */
    heartbeat(atMs: number, incidentId: string | null): MonitorGapEvent | null {
      const result = touchRun(atMs, incidentId);
      run = result.run;
      return result.gap;
    },
    /** Start of the current run, or null before the first write. */
    runStartedAt: (): number | null => run?.startedAt ?? null,
  };
}
