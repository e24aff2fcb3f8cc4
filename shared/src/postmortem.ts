import { durationWords } from './duration.ts';
import type { IncidentDetail } from './history-api.ts';
import { addressPeriods, keyEvents, type AddressPeriod, type KeyEvent, type PostmortemContext } from './postmortem-events.ts';
import { digestImpact, type ImpactDigest, type ImpactRow, type SiteGroup } from './postmortem-impact.ts';
import { summaryParagraph } from './postmortem-summary.ts';
import { timeWords, type TimeWords } from './time-words.ts';

/**
 * The postmortem of an incident, composed from its detail: the same words for the Markdown export
 * and the incident view's header. Pure; text from operators and the config (names, notes) goes
 * through `esc` (Markdown escaping for the export, none on screen, where Vue interpolates text).
 */
export interface Postmortem {
  time: TimeWords;
  /** "Monday, 2 March 2026". */
  day: string;
  /** "from 09:01:06 (08:01:06 UTC) to 09:14:10 (08:14:10 UTC)", or "from …, still open". */
  span: string;
  summary: string;
  impact: ImpactTableRow[];
  everywhere: ImpactDigest['everywhere'];
  groups: SiteGroup[];
  events: KeyEvent[];
  callManager: AddressPeriod[];
  notes: NoteLine[];
  followUps: NoteLine[];
}

/** An impact table row in words: `Service | Sites | Users | User-minutes lost | Longest`. */
export interface ImpactTableRow {
  service: string;
  sites: string;
  users: string;
  userMinutes: string;
  longest: string;
  row: ImpactRow;
}

export interface NoteLine {
  id: string;
  at: string;
  when: string;
  /** The note's text, escaped, its lines kept. */
  lines: string[];
  followUp: boolean;
}

export interface PostmortemOptions {
  /** The reader's IANA time zone; UTC alone when absent. */
  zone?: string | null;
  esc?: (text: string) => string;
  /** Addresses as code (Markdown code spans); identity when absent. */
  code?: (text: string) => string;
}

export const IMPACT_TABLE_HEADER = ['Service', 'Sites', 'Users', 'User-minutes lost', 'Longest'] as const;

function tableRow(row: ImpactRow): ImpactTableRow {
  const uncounted = row.uncounted ? ` + ${row.uncounted} site${row.uncounted === 1 ? '' : 's'} not counted` : '';
  return {
    service: row.title,
    sites: row.sites.toLocaleString('en-US'),
    users: `${row.users.toLocaleString('en-US')}${uncounted}`,
    userMinutes: `${row.uncounted ? 'at least ' : ''}${row.userMinutes.toLocaleString('en-US')}`,
    longest: durationWords(row.longestMs),
    row,
  };
}

export function composePostmortem(detail: IncidentDetail, options: PostmortemOptions = {}): Postmortem {
  const { incident } = detail;
  const time = timeWords(options.zone ?? null, incident.startedAt);
  const names = new Map((detail.servers ?? []).map((s) => [s.id, s.name]));
  const same = (text: string) => text;
  const ctx: PostmortemContext = { detail, time, esc: options.esc ?? same, code: options.code ?? same, name: (id) => names.get(id) ?? id };
  const digest = digestImpact(detail.impact);
  const notes = detail.timeline.flatMap((e): NoteLine[] =>
    e.type === 'annotation'
      ? [{ id: e.id, at: e.at, when: time.time(e.at), lines: e.text.split(/\r?\n|\r/).map(ctx.esc), followUp: e.followUp === true }]
      : [],
  );
  const start = time.time(incident.startedAt);
  const periods = addressPeriods(ctx);
  return {
    time,
    day: time.day(incident.startedAt),
    span: incident.endedAt === null ? `from ${start}, still open` : `from ${start} to ${time.time(incident.endedAt)}`,
    summary: summaryParagraph(ctx, digest.rows, periods),
    impact: digest.rows.map(tableRow),
    everywhere: digest.everywhere,
    groups: digest.groups.map((g) => ({ ...g, names: g.names.map(ctx.esc) })),
    events: keyEvents(ctx),
    callManager: periods,
    notes,
    followUps: notes.filter((n) => n.followUp),
  };
}
