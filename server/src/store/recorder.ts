import type { HistoryEvent, ImpactChangedEvent, MonitorGapEvent, SwitchHistoryEvent } from '@hqwatch/shared';
import { eventsRepository } from './events.repository.ts';
import { impactRepository, type ReasonIds } from './impact.repository.ts';
import { incidentsRepository } from './incidents.repository.ts';
import { outboxRepository, type RoundAlerts } from './outbox.repository.ts';
import { runsRepository } from './runs.repository.ts';
import { snapshotsRepository } from './snapshots.repository.ts';
import type { Sql } from './sql/sql.ts';
import { switchesRepository } from './switches.repository.ts';
import { toIso } from './time.ts';
import { claimWrite, type WriterPosition } from './writer.ts';

/** One engine round's worth of writes, committed together or not at all. */
export interface Batch {
  events: HistoryEvent[];
  atMs: number;
  /** The engine core as JSON when it changed in a way that shows, else null. */
  snapshot: string | null;
  /** The incident open in that core, for a gap recorded by this batch. */
  incidentId: string | null;
  /** The alerts the round's events caused: their outbox rows commit with the events, or not at all. */
  alerts?: RoundAlerts | null;
}

/**
 * A round's batch, a heartbeat (the monitor alive at `atMs`), or what one read of the ShoreWare
 * status database changed (written apart from the rounds, and touching no monitor run).
 */
export type WriteBody =
  | ({ kind: 'batch' } & Batch)
  | { kind: 'heartbeat'; atMs: number; incidentId: string | null }
  | { kind: 'switches'; events: SwitchHistoryEvent[] };

/** What the write queue holds: a write with the writer's position it takes (its term and sequence number). */
export type Write = WriteBody & { at: WriterPosition };

interface Run {
  id: number;
  startedAt: number;
}

function repositories(tx: Sql, reasons: ReasonIds) {
  return {
    events: eventsRepository(tx),
    incidents: incidentsRepository(tx),
    impact: impactRepository(tx, reasons),
    snapshots: snapshotsRepository(tx),
    runs: runsRepository(tx),
  };
}

type Repositories = ReturnType<typeof repositories>;

/**
 * Writes batches and heartbeats into the repositories, each in its own transaction. In-memory state
 * (the current monitor run) only changes after a commit, so a failed write can be retried as if it
 * had never started; a retried write that had in fact committed is recognised by its sequence
 * number and not applied twice.
 */
export function createRecorder(sql: Sql) {
  let run: Run | null = null;
  /** Bumped by `newRun`: a write that was in flight then (an earlier leadership's) must not bring its run back. */
  let generation = 0;
  const reasons: ReasonIds = new Map();

  /** Inside a transaction: the current run, started now (with the gap before it) if there is none. */
  async function currentRun(repos: Repositories, atMs: number, incidentId: string | null, term: number) {
    if (run) {
      await repos.runs.touch(run.id, atMs);
      return { run, gap: null };
    }
    const previous = await repos.runs.last();
    let gap: MonitorGapEvent | null = null;
    if (previous && previous.lastSeenAt < atMs) {
      const from = toIso(previous.lastSeenAt);
      gap = { type: 'monitor-gap', at: from, incidentId, from, to: toIso(atMs), durationMs: atMs - previous.lastSeenAt };
      await repos.events.add(gap, term);
    }
    return { run: { id: await repos.runs.start(atMs), startedAt: atMs }, gap };
  }

  async function recordWorst(repos: Repositories, incidentIds: Set<string>, atMs: number): Promise<void> {
    const down = await repos.impact.openDown();
    const impacted = [...new Set(down.map((d) => d.siteId))].sort();
    const telephony = [...new Set(down.filter((d) => d.service === 'telephony').map((d) => d.siteId))].sort();
    for (const id of incidentIds) {
      const held = await repos.incidents.worst(id);
      const worse =
        !held ||
        telephony.length > held.telephony.length ||
        (telephony.length === held.telephony.length && impacted.length > held.impacted.length);
      if (worse && impacted.length > 0) await repos.incidents.setWorst(id, { at: atMs, impacted, telephony });
    }
  }

  /** Any event but an impact change (those are applied in runs, see `commit`). */
  async function apply(repos: Repositories, event: Exclude<HistoryEvent, ImpactChangedEvent>, term: number): Promise<void> {
    switch (event.type) {
      case 'incident-opened':
        await repos.incidents.opened(event);
        await repos.impact.adoptOpen(event.incidentId);
        break;
      case 'incident-closed':
        await repos.incidents.closed(event);
        break;
      case 'window-opened':
        await repos.incidents.windowOpened(event);
        break;
      case 'window-closed':
        await repos.incidents.windowClosed(event);
        break;
      default:
        break;
    }
    await repos.events.add(event, term);
  }

  async function commit(write: Exclude<Write, { kind: 'switches' }>): Promise<{ run: Run; gap: MonitorGapEvent | null }> {
    return sql.tx(async (tx) => {
      const repos = repositories(tx, reasons);
      if (!(await claimWrite(tx, write.at))) {
        // Committed before, its answer lost: nothing to apply, the run is the one it wrote.
        const last = await repos.runs.last();
        return { run: run ?? { id: last!.id, startedAt: last!.startedAt }, gap: null };
      }
      const current = await currentRun(repos, write.atMs, write.incidentId, write.at.term);
      if (write.kind === 'heartbeat') return current;
      if (write.snapshot !== null) await repos.snapshots.add(write.atMs, write.snapshot);
      const touched = new Set<string>();
      // Impact changes are kept as intervals (the timeline rebuilds the changes from them), each run
      // of them applied together; any other event is applied between runs, in order.
      let changes: ImpactChangedEvent[] = [];
      const applyRun = async () => {
        await repos.impact.changeAll(changes, current.run.startedAt);
        changes = [];
      };
      for (const event of write.events) {
        if (event.type === 'impact-changed') {
          changes.push(event);
          if (event.incidentId) touched.add(event.incidentId);
          continue;
        }
        await applyRun();
        await apply(repos, event, write.at.term);
      }
      await applyRun();
      if (touched.size > 0) await recordWorst(repos, touched, write.atMs);
      if (write.alerts) await outboxRepository(tx).add(write.alerts, write.atMs);
      return current;
    });
  }

  return {
    /** Commits a write; rejects (and changes nothing) if the database refuses it. Resolves with the gap it recorded, if any. */
    async write(write: Write): Promise<MonitorGapEvent | null> {
      const started = generation;
      try {
        if (write.kind === 'switches') {
          await sql.tx(async (tx) => {
            if (await claimWrite(tx, write.at)) await switchesRepository(tx).record(write.events);
          });
          return null;
        }
        const result = await commit(write);
        if (started === generation) run = result.run;
        return result.gap;
      } catch (err) {
        reasons.clear(); // it may hold ids of reasons the rollback removed
        throw err;
      }
    },
    /** Forgets the current run: the next write starts one (with the gap since the last), as after a restart. */
    newRun(): void {
      generation += 1;
      run = null;
      reasons.clear();
    },
    /** Start of the current run, or null before the first write. */
    runStartedAt: (): number | null => run?.startedAt ?? null,
  };
}
