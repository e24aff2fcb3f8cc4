import { HQ_STATE_WORD } from './alert-words.ts';
import { NODE_WORD, WINDOW_NAME } from './hq-words.ts';
import { durationWords } from './duration.ts';
import type { HqTransitionEvent } from './history.ts';
import type { IncidentAlert, IncidentDetail, TimelineEntry } from './history-api.ts';
import { hqDownCauseText } from './hq-cause.ts';
import type { TimeWords } from './time-words.ts';
import { PRIMARY_ID, SECONDARY_ID, type HqState, type StandbyStatus } from './types.ts';
import { formatRange } from './window-estimate.ts';

/** What the postmortem's composition needs beside the detail: names, addresses, escaping, times. */
export interface PostmortemContext {
  detail: IncidentDetail;
  time: TimeWords;
  /** Makes operator and config text (names, notes, reasons) safe where it is printed; identity on screen. */
  esc: (text: string) => string;
  /** An address as code (a Markdown code span, which nothing links); identity on screen. */
  code: (text: string) => string;
  /** A server's name from its node id (the id when it is not configured any more). */
  name: (nodeId: string) => string;
}

/** Moments of the story: several things said at the same time are one line. */
export interface KeyEvent {
  at: string;
  /** The time in the reader's words. */
  when: string;
  texts: string[];
}

const STANDBY_WORD: Record<StandbyStatus, string> = { ready: 'ready', 'not-ready': 'not ready', unknown: 'not known' };

const lower = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** An HQ state inside a sentence: "failing over", "HQ down". */
export function stateWords(state: HqState): string {
  const word = HQ_STATE_WORD[state];
  return word.startsWith('HQ') ? word : lower(word);
}

/** "5–20 min". */
export function expectedText(w: { expectedMinMs: number; expectedMaxMs: number }): string {
  return formatRange(w.expectedMinMs, w.expectedMaxMs);
}

function hqText(e: HqTransitionEvent, ctx: PostmortemContext): string {
  const standby = e.to === 'hq-down' && e.cause ? standbyOf(e.from) : null;
  const cause = e.cause ? `: ${hqDownCauseText(e.cause, standby && ctx.esc(ctx.name(standby)), standby)}` : '';
  return `HQ state: ${stateWords(e.from)} → ${stateWords(e.to)}${cause}`;
}

/** The server a window was moving to, from the state it left: what hq-down's cause is about. */
function standbyOf(from: HqState): string | null {
  if (from === 'failing-over' || from === 'primary-active') return SECONDARY_ID;
  if (from === 'failing-back' || from === 'secondary-active') return PRIMARY_ID;
  return null;
}

function alertText(a: IncidentAlert, ctx: PostmortemContext): string {
  if (a.muted)
    return `Alert not sent (${a.muted === 'maintenance' ? 'planned maintenance' : 'told in the incident’s thread'}): ${ctx.esc(a.title)}`;
  const to = a.deliveries.map(
    (d) => `${ctx.esc(d.channelId)}${d.state === 'sent' ? '' : ` (${d.state === 'failed' ? 'undeliverable' : 'pending'})`}`,
  );
  return `Alert ${to.length ? `sent to ${to.join(', ')}` : 'recorded, no channel'}: ${ctx.esc(a.title)}`;
}

/** One timeline entry in words, or null for what the key events leave out (impact changes). */
function entryText(e: TimelineEntry, ctx: PostmortemContext): string | null {
  switch (e.type) {
    case 'impact':
      return null;
    case 'hq-transition':
      return hqText(e, ctx);
    case 'standby-changed':
      if (e.standbyId === null) return `No standby: ${STANDBY_WORD[e.from]} → ${STANDBY_WORD[e.to]}`;
      if (e.previousId !== null && e.previousId !== e.standbyId)
        return `${ctx.esc(ctx.name(e.standbyId))} is now the standby (${STANDBY_WORD[e.to]})`;
      return `Standby ${ctx.esc(ctx.name(e.standbyId))}: ${STANDBY_WORD[e.from]} → ${STANDBY_WORD[e.to]}`;
    case 'node-status':
      return e.from === e.to
        ? `${ctx.esc(ctx.name(e.nodeId))} ${e.flapping ? 'started' : 'stopped'} flapping`
        : `${ctx.esc(ctx.name(e.nodeId))}: ${NODE_WORD[e.from]} → ${NODE_WORD[e.to]}${e.flapping ? ' (flapping)' : ''}`;
    case 'window-opened':
      return e.kind === 'outage'
        ? `${WINDOW_NAME[e.kind]} window opened (no expected length)`
        : `${WINDOW_NAME[e.kind]} window opened (expected ${expectedText(e)})`;
    case 'window-closed': {
      const over = e.overrun ? `, ${durationWords(e.durationMs - e.expectedMaxMs)} over the expected ${expectedText(e)}` : '';
      return `${WINDOW_NAME[e.kind]} window closed after ${durationWords(e.durationMs)}${over}`;
    }
    case 'incident-opened':
      return 'Incident opened';
    case 'incident-closed':
      return `Incident closed after ${durationWords(e.durationMs)}`;
    case 'monitor-gap':
      return `Monitor not running until ${ctx.time.time(e.to)} (${durationWords(e.durationMs)}): nothing is known of this time`;
    case 'annotation': {
      const text = ctx.esc(e.text.replace(/\s*(\r?\n|\r)\s*/g, ' '));
      return `Note${e.followUp ? ' (follow-up)' : ''}: ${text}`;
    }
  }
}

/**
 * The key events: state changes, windows, node changes, notes and alerts sent, never the impact
 * changes (the appendix and the JSON have them). Things said at the same moment share a line.
 */
export function keyEvents(ctx: PostmortemContext): KeyEvent[] {
  const said: { at: string; ms: number; order: number; text: string }[] = [];
  ctx.detail.timeline.forEach((e, order) => {
    const text = entryText(e, ctx);
    if (text !== null) said.push({ at: e.at, ms: Date.parse(e.at), order, text });
  });
  const offset = ctx.detail.timeline.length;
  (ctx.detail.alerts ?? []).forEach((a, i) => said.push({ at: a.at, ms: Date.parse(a.at), order: offset + i, text: alertText(a, ctx) }));
  said.sort((a, b) => a.ms - b.ms || a.order - b.order);
  const moments: KeyEvent[] = [];
  for (const s of said) {
    const last = moments.at(-1);
    if (last && Date.parse(last.at) === s.ms) last.texts.push(s.text);
    else moments.push({ at: s.at, when: ctx.time.time(s.at), texts: [s.text] });
  }
  return moments;
}

/** A stretch of the incident with the address Call Manager users had to give when logging in. */
export interface AddressPeriod {
  from: string;
  /** Null for the last: it held from then on (past the incident's end, until HQ changed again). */
  to: string | null;
  /** "09:01:06 (08:01:06 UTC) to 09:13:08 (08:13:08 UTC)", "09:13:08 (08:13:08 UTC) onwards". */
  when: string;
  /** The address, or null when no single server controlled the system. */
  address: string | null;
  text: string;
}

function addressText(state: HqState, ctx: PostmortemContext): { address: string | null; text: string } {
  const server = (id: string) => ctx.detail.servers?.find((s) => s.id === id);
  const named = (id: string, what: string) => {
    const s = server(id);
    return s ? `${ctx.code(s.address)} (${ctx.esc(s.name)}, ${what})` : `${what}’s address`;
  };
  switch (state) {
    case 'primary-active':
      return { address: server(PRIMARY_ID)?.address ?? null, text: `${named(PRIMARY_ID, 'the primary')}: the usual address` };
    case 'secondary-active':
      return {
        address: server(SECONDARY_ID)?.address ?? null,
        text: `${named(SECONDARY_ID, 'the secondary')}: users logging into Call Manager while the secondary controls the system must specify the IP address of the secondary server`,
      };
    case 'failing-over':
    case 'failing-back':
      return {
        address: null,
        text: `none: a ${state === 'failing-over' ? 'failover' : 'failback'} was under way and no server controlled the system`,
      };
    case 'hq-down':
      return { address: null, text: 'none: no HQ server was serving' };
    case 'dual-active':
      return { address: null, text: 'none: both HQ servers claimed Headquarters (split brain), so no single address was right' };
    default:
      return { address: null, text: `not known: the monitor was ${stateWords(state)}` };
  }
}

/**
 * The Call Manager address in force from the incident's start, one period per HQ state (periods
 * that say the same merged); the last one runs on, past the incident's end, as the state did.
 */
export function addressPeriods(ctx: PostmortemContext): AddressPeriod[] {
  const { incident } = ctx.detail;
  const transitions = ctx.detail.timeline.filter((e): e is HqTransitionEvent => e.type === 'hq-transition');
  const stretches: { state: HqState; from: string }[] = [];
  const first = transitions[0];
  if (first && Date.parse(first.at) > Date.parse(incident.startedAt)) stretches.push({ state: first.from, from: incident.startedAt });
  for (const t of transitions) stretches.push({ state: t.to, from: t.at });
  const periods: { from: string; to: string | null; address: string | null; text: string }[] = [];
  for (const s of stretches) {
    const { address, text } = addressText(s.state, ctx);
    const last = periods.at(-1);
    if (last && last.text === text) continue;
    if (last) last.to = s.from;
    periods.push({ from: s.from, to: null, address, text });
  }
  const open = incident.endedAt === null ? ' (the incident is still open)' : '';
  return periods.map((p) => ({
    ...p,
    when: p.to === null ? `${ctx.time.time(p.from)} onwards${open}` : `${ctx.time.time(p.from)} to ${ctx.time.time(p.to)}`,
  }));
}
