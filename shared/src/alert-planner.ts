import type { AlertMessage, AlertMute, AlertStatus } from './alert-events.ts';
import { routeChannels, type Delivery } from './alert-routing.ts';
import { hqSeverity, lossText } from './alert-words.ts';
import { clockText, lossLines } from './hq-words.ts';
import {
  monitorCondition,
  serverCondition,
  serverDown,
  standbyCondition,
  type Condition,
  type ConditionRound,
  type Draft,
} from './alert-conditions.ts';
import { SIGHTED, incidentDraft, incidentReminder, incidentResolveDraft, windowKey, type FoldedNews } from './alert-incident.ts';
import type { AlertMemory, AlertThread, ThreadKind, ThreadMode } from './alert-threads.ts';
import type { HqwatchConfig } from './config.ts';
import type { HistoryEvent } from './history.ts';
import type { MaintenanceWindow } from './maintenance.ts';
import type { LiveState } from './types.ts';

/**
 * The alert model: from each round's live state and history events, which messages go out. A
 * thread per problem (the HQ incident, a distributed server down, the standby lost, the monitor
 * blind), opened by a `trigger`, followed by `update`s and ended by one `resolve`; what is open is
 * kept in {@link AlertMemory}, stored with the messages in the round's transaction, so a restart
 * goes on with the same threads.
 *
 * Level-triggered: a thread stays open while its condition holds in the live state, and is
 * resolved when it no longer does, so every trigger gets its resolve whatever happened in between
 * (a restart, a config reload). Conditions are only ever ended on evidence: nothing is resolved
 * while the monitor is blind or has no verdict.
 */

export interface AlertPlanInput {
  memory: AlertMemory;
  /** The round's live state (after it). */
  state: LiveState;
  /** The round's history events. */
  events: readonly HistoryEvent[];
  config: HqwatchConfig;
  /** The maintenance window in force now, if any. */
  maintenance: MaintenanceWindow | null;
}

export interface AlertPlan {
  memory: AlertMemory;
  /** Every message of the round, muted ones included (recorded, not sent). */
  messages: AlertMessage[];
  /** Which channel gets which message. */
  deliveries: Delivery[];
  /** Whether the memory changed (it is stored only then). */
  changed: boolean;
}

/** The open window as a message carries it (no estimate: the words say it). */
function windowOf(state: LiveState, status: AlertStatus): AlertMessage['window'] {
  const w = state.hq.window;
  if (!w || status === 'resolve') return null;
  return {
    kind: w.kind,
    startedAt: w.startedAt,
    elapsedMs: w.elapsedMs,
    expectedMinMs: w.expectedMinMs,
    expectedMaxMs: w.expectedMaxMs,
    overrun: w.overrun,
  };
}

function compact(at: string): string {
  return String(Date.parse(at));
}

/** Plans one round's alerts. Pure: same input, same plan. */
export function planAlerts(input: AlertPlanInput): AlertPlan {
  const { state, events, config, maintenance } = input;
  const now = state.at;
  const planned = maintenance?.reason ?? null;
  const nodes = new Map(state.nodes.map((n) => [n.id, n]));
  const threads = new Map(input.memory.threads.map((t) => [t.key, { ...t, channels: [...t.channels], routedAt: { ...t.routedAt } }]));
  const messages: AlertMessage[] = [];
  const deliveries: Delivery[] = [];
  let changed = false;
  const publicUrl = config.http.publicUrl?.replace(/\/+$/, '') ?? null;

  function emit(thread: AlertThread, draft: Draft, extra: { mute?: AlertMute | null; note?: string } = {}): void {
    thread.seq += 1;
    changed = true;
    const mute =
      extra.mute !== undefined ? extra.mute : thread.mode === 'muted' || (maintenance && draft.status !== 'resolve') ? 'maintenance' : null;
    const details = extra.note ? [extra.note, ...draft.details] : draft.details;
    const losses = thread.kind === 'incident' && draft.status !== 'resolve' ? lossLines(state.impact) : [];
    const lead = losses[0] ? lossText(losses[0]) : (details.find((line) => !/elapsed/.test(line)) ?? null);
    const incidentId = thread.incidentId ?? state.incident?.id ?? null;
    const message: AlertMessage = {
      id: `${thread.dedupKey}#${thread.seq}`,
      dedupKey: thread.dedupKey,
      seq: thread.seq,
      event: draft.event,
      status: draft.status,
      severity: draft.severity,
      at: now,
      incidentId,
      hqState: state.hq.state,
      title: draft.title,
      summary: lead ? `${draft.title}. ${lead}` : draft.title,
      details,
      losses,
      callManagerAddress: state.hq.state === 'secondary-active' ? state.hq.activeAddress : null,
      callManagerAfter: state.hq.targetAddress,
      window: windowOf(state, draft.status),
      sites: draft.sites,
      servers: draft.servers,
      url: publicUrl ? (incidentId ? `${publicUrl}/incidents/${encodeURIComponent(incidentId)}` : `${publicUrl}/`) : null,
      planned: thread.planned ?? planned,
      muted: mute,
      ...(draft.event === 'reminder' && { repeat: thread.reminders }),
    };
    messages.push(message);
    if (mute) return;
    for (const d of routeChannels(message, thread, config.notify.routes, draft.route)) {
      deliveries.push({ messageId: message.id, channelId: d.channelId });
      if (!thread.channels.includes(d.channelId)) thread.channels.push(d.channelId);
      for (const r of d.routes) thread.routedAt[String(r)] = now;
    }
  }

  function open(kind: ThreadKind, subject: string, dedupKey: string, mode: ThreadMode, foldedInto: string | null): AlertThread {
    const thread: AlertThread = {
      key: `${kind}:${subject}`,
      dedupKey,
      kind,
      subject,
      incidentId: kind === 'incident' ? subject : (state.incident?.id ?? null),
      openedAt: now,
      mode,
      foldedInto,
      seq: 0,
      channels: [],
      routedAt: {},
      reminders: 0,
      window: windowKey(state),
      overrun: state.hq.window?.overrun ?? false,
      hqState: state.hq.state,
      planned,
    };
    threads.set(thread.key, thread);
    changed = true;
    return thread;
  }

  const close = (thread: AlertThread) => {
    threads.delete(thread.key);
    changed = true;
  };

  const incidentThread = (): AlertThread | undefined => [...threads.values()].find((t) => t.kind === 'incident');

  // ── the HQ incident ────────────────────────────────────────────────────────────────────────────
  /** Lines said in the incident's next message about folded threads that changed this round. */
  const foldedNews: FoldedNews[] = [];
  const incidentRound = { state, events, foldedNews };

  function remember(thread: AlertThread): void {
    thread.window = windowKey(state);
    thread.overrun = state.hq.window?.overrun ?? false;
    thread.hqState = state.hq.state;
  }

  function resolveIncident(thread: AlertThread): void {
    if (thread.mode !== 'folded' && !(thread.mode === 'muted' && thread.seq === 0))
      emit(thread, incidentResolveDraft(thread, incidentRound), { mute: thread.mode === 'muted' ? 'maintenance' : null });
    close(thread);
  }

  const round: ConditionRound = { state, config, nodes, threads };
  const sighted = SIGHTED(state.hq.state);
  const conditions: Condition[] = [monitorCondition(state)];
  if (sighted) {
    const serverIds = new Set([...state.nodes.filter(serverDown).map((n) => n.id)]);
    const standbyIds = new Set<string>(state.hq.standby === 'not-ready' && state.hq.standbyId ? [state.hq.standbyId] : []);
    for (const t of threads.values()) {
      if (t.kind === 'server') serverIds.add(t.subject);
      if (t.kind === 'standby') standbyIds.add(t.subject);
    }
    conditions.push(
      ...[...serverIds].sort().map((id) => serverCondition(round, id)),
      ...[...standbyIds].sort().map((id) => standbyCondition(round, id)),
    );
  }

  // ── 1. the incident closes (its folded threads get a voice of their own if still a problem) ─────
  let incident = incidentThread();
  const unfolded: AlertThread[] = [];
  if (incident && sighted && state.incident?.id !== incident.subject) {
    for (const c of conditions) {
      const t = threads.get(`${c.kind}:${c.subject}`);
      if (!t || t.foldedInto !== incident.key) continue;
      if (c.holds === false) {
        foldedNews.push({ event: c.resolve().event, title: c.resolve().title, details: [], servers: [c.subject], sites: [] });
        close(t);
      } else {
        t.mode = maintenance ? 'muted' : 'sent';
        t.foldedInto = null;
        unfolded.push(t);
      }
    }
    resolveIncident(incident);
    foldedNews.length = 0;
    incident = undefined;
    for (const t of unfolded) {
      const c = conditions.find((x) => `${x.kind}:${x.subject}` === t.key)!;
      emit(t, c.trigger(), { note: 'Still a problem after the HQ incident closed' });
    }
  }

  // ── 2. a new incident opens ───────────────────────────────────────────────────────────────────
  let incidentOpened = false;
  if (!incident && state.incident && sighted) {
    incident = open('incident', state.incident.id, `hqwatch-incident-${state.incident.id}`, maintenance ? 'muted' : 'sent', null);
    incidentOpened = true;
  }

  // ── 3. the other threads: open, fold, resolve ─────────────────────────────────────────────────
  const foldInto = incident && state.hq.window ? incident : null;
  for (const c of conditions) {
    const key = `${c.kind}:${c.subject}`;
    const thread = threads.get(key);
    if (unfolded.includes(thread!)) continue;
    if (!thread && c.holds === true) {
      const mode: ThreadMode = maintenance ? 'muted' : foldInto && c.kind !== 'monitor' ? 'folded' : 'sent';
      const t = open(c.kind, c.subject, `hqwatch-${c.kind}-${c.subject}-${compact(now)}`, mode, mode === 'folded' ? foldInto!.key : null);
      const named = nodes.get(c.subject)?.name;
      if (named) t.name = named;
      const draft = c.trigger();
      if (mode === 'folded')
        foldedNews.push({ event: draft.event, title: draft.title, details: draft.details, servers: draft.servers, sites: draft.sites });
      else emit(t, draft);
    } else if (thread && c.holds === false) {
      const draft = c.resolve();
      if (thread.mode === 'folded') {
        if (thread.foldedInto && threads.has(thread.foldedInto))
          foldedNews.push({ event: draft.event, title: draft.title, details: [], servers: draft.servers, sites: [] });
      } else if (thread.mode === 'sent') emit(thread, draft, { mute: null });
      else emit(thread, draft, { mute: 'maintenance' });
      close(thread);
    }
  }

  // ── 4. a maintenance window ended with problems still there: they are sent now ────────────────
  const unmuted = new Set<AlertThread>();
  if (!maintenance) {
    for (const t of threads.values()) {
      if (t.mode !== 'muted' || (t.kind !== 'incident' && !sighted)) continue;
      if (t.kind === 'incident' && !sighted) continue;
      t.mode = 'sent';
      unmuted.add(t);
      changed = true;
      const note = `Still a problem after the planned maintenance window${t.planned ? ` (${t.planned})` : ''} ended`;
      if (t.kind === 'incident') {
        emit(t, { ...(incidentDraft(t, 'trigger', incidentRound) as Draft), status: 'trigger' }, { note, mute: null });
      } else {
        const c = conditions.find((x) => `${x.kind}:${x.subject}` === t.key);
        if (c) emit(t, c.trigger(), { note, mute: null });
      }
    }
  }

  // ── 5. the incident's trigger or update ───────────────────────────────────────────────────────
  if (incident && sighted) {
    const draft = unmuted.has(incident) ? null : incidentDraft(incident, incidentOpened ? 'trigger' : 'update', incidentRound);
    if (draft) emit(incident, draft);
    remember(incident);
  }

  // ── 6. reminders of threads still open, per route ─────────────────────────────────────────────
  if (!maintenance) {
    config.notify.routes.forEach((route, r) => {
      if (route.repeat === undefined) return;
      for (const t of threads.values()) {
        if (t.mode !== 'sent' || !t.routedAt[String(r)]) continue;
        if (t.kind === 'incident' && (!sighted || hqSeverity(state) !== 'critical')) continue;
        if (t.kind !== 'incident' && t.kind !== 'monitor' && !sighted) continue;
        if (Date.parse(now) - Date.parse(t.routedAt[String(r)]!) < route.repeat) continue;
        const c = conditions.find((x) => `${x.kind}:${x.subject}` === t.key);
        const current = t.kind === 'incident' ? incidentReminder(state) : c?.trigger();
        if (!current) continue;
        t.reminders += 1;
        const since = clockText(Date.parse(now) - Date.parse(t.openedAt));
        emit(
          t,
          { ...current, event: 'reminder', status: 'update', title: `Still open after ${since}: ${current.title}`, route: r },
          { mute: null },
        );
      }
    });
  }

  return { memory: { threads: [...threads.values()] }, messages, deliveries, changed };
}
