import {
  composePostmortem,
  durationWords,
  estimateText,
  expectedText,
  hasExpectedLength,
  IMPACT_TABLE_HEADER,
  vendorRangeNote,
  WINDOW_NAME,
  type IncidentDetail,
  type Postmortem,
  type TimeWords,
  type WindowSummary,
} from '@hqwatch/shared';
import { appendixSection } from './export-appendix.ts';
import { cell } from './markdown-text.ts';

export interface MarkdownOptions {
  /** The reader's IANA zone (validated by the route); UTC alone when null. */
  zone?: string | null;
  /** The full per-site detail at the end (the default); left out, a 500-site incident reads in a few kilobytes. */
  appendix?: boolean;
}

function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string[] {
  const rule = align.map((a) => (a === 'r' ? '--:' : '---'));
  return [`| ${header.join(' | ')} |`, `| ${rule.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : `${one}s`}`;

function who(sites: number, users: number, uncounted: number): string {
  const people = users > 0 ? `, ${plural(users, 'user')}` : '';
  return `${plural(sites, 'site')}${people}${uncounted ? `, ${uncounted} without a user count` : ''}`;
}

/** Site names listed in a group line at most; the rest are counted (the appendix names them all). */
const NAMES_LISTED = 12;

function impactSection(pm: Postmortem): string[] {
  const lines = ['## Impact', ''];
  if (pm.impact.length === 0) return [...lines, 'No site lost a service.'];
  lines.push(
    ...table(
      IMPACT_TABLE_HEADER,
      ['l', 'r', 'r', 'r', 'r'],
      pm.impact.map((r) => [r.service, r.sites, r.users, r.userMinutes, r.longest]),
    ),
    '',
    'User-minutes: the users of each site times the minutes it was without the service, added up over the sites.',
    '',
    '### Sites by impact',
    '',
  );
  if (pm.everywhere)
    lines.push(`- Every site (${who(pm.everywhere.sites, pm.everywhere.users, pm.everywhere.uncounted)}): ${pm.everywhere.lost}`);
  for (const g of pm.groups) {
    const shown = g.names.slice(0, NAMES_LISTED).join(', ');
    const more = g.names.length > NAMES_LISTED ? ` and ${plural(g.names.length - NAMES_LISTED, 'more site')}` : '';
    lines.push(`- ${shown}${more} (${who(g.siteIds.length, g.users, g.uncounted)}): ${g.lost}`);
  }
  return lines;
}

function verdict(w: WindowSummary): string {
  switch (w.verdict) {
    case 'overrun':
      return `**over** the expected maximum by ${durationWords(w.durationMs - w.expectedMaxMs)}`;
    case 'short':
      return 'shorter than expected';
    case 'open': {
      if (w.kind === 'outage' || !w.estimate) return 'still open';
      const note = vendorRangeNote(w.estimate, w.kind);
      return `still open: ${estimateText(w.estimate, w.kind)}${note ? ` (${note})` : ''}`;
    }
    case 'no-expected-length':
      return 'an outage: no expected length';
    default:
      return 'within the expected range';
  }
}

function windowsSection(windows: readonly WindowSummary[], time: TimeWords): string[] {
  const lines = ['## Windows', ''];
  if (windows.length === 0) return [...lines, 'No window: HQ services were never entirely lost.'];
  const kind = (w: WindowSummary) => {
    const name = w.kindNote ? `${WINDOW_NAME[w.kind]} (${w.kindNote})` : WINDOW_NAME[w.kind];
    return w.planned ? `${name}, planned (${cell(w.planned)})` : name;
  };
  const rows = windows.map((w) => [
    kind(w),
    time.time(w.startedAt),
    w.endedAt ? time.time(w.endedAt) : 'open',
    `${durationWords(w.durationMs)}${w.endedAt ? '' : ' so far'}`,
    hasExpectedLength(w.kind) ? expectedText(w) : 'none (an outage)',
    verdict(w),
  ]);
  return [...lines, ...table(['Window', 'Started', 'Ended', 'Took', 'Expected', 'Verdict'], ['l', 'l', 'l', 'r', 'l', 'l'], rows)];
}

function notesSection(pm: Postmortem): string[] {
  const lines = ['## Operator notes', ''];
  if (pm.notes.length === 0) return [...lines, 'None.'];
  for (const note of pm.notes) {
    const [first = '', ...rest] = note.lines;
    lines.push(`- ${note.when}${note.followUp ? ' (follow-up)' : ''}: ${first}${rest.map((line) => `  \n  ${line}`).join('')}`);
  }
  return lines;
}

function followUpsSection(pm: Postmortem): string[] {
  const lines = ['## Follow-ups', ''];
  if (pm.followUps.length === 0)
    return [...lines, 'None marked yet: mark a note as a follow-up in the incident view and it is listed here.'];
  for (const note of pm.followUps) lines.push(`- [ ] ${note.lines.join(' ')} — noted at ${note.when}`);
  return lines;
}

/**
 * The postmortem people read: the summary paragraph first, the impact per service in user-minutes,
 * sites grouped by identical impact, the key events, the Call Manager address users needed, the
 * operators' notes and follow-ups, headings for what people must write, and the full per-site
 * detail in an appendix that can be left out. Composed by `composePostmortem`, as the incident
 * view's header is.
 */
export function exportMarkdown(detail: IncidentDetail, options: MarkdownOptions = {}): string {
  const pm = composePostmortem(detail, { zone: options.zone ?? null, esc: cell, code: (text) => `\`${text.replace(/`/g, '')}\`` });
  const { incident } = detail;
  const lines = [
    `# Incident ${cell(incident.id)}: postmortem`,
    '',
    `${pm.day}, ${pm.span}${incident.endedAt || !detail.asOf ? '' : ` when last recorded, at ${pm.time.time(detail.asOf)}`}.`,
    `Times are ${pm.time.zoneText(incident.startedAt)}.`,
    '',
    '## Summary',
    '',
    pm.summary,
    '',
    ...impactSection(pm),
    '',
    ...windowsSection(incident.windows, pm.time),
    '',
    '## Key events',
    '',
    ...table(
      ['Time', 'What happened'],
      ['l', 'l'],
      pm.events.map((e) => [e.when, e.texts.join('; ')]),
    ),
    '',
    '## What users had to do',
    '',
    'The server address users logging into Call Manager had to specify:',
    '',
    ...pm.callManager.map((p) => `- ${p.when}: ${p.text}`),
    '',
    ...notesSection(pm),
    '',
    ...followUpsSection(pm),
    '',
    '## Root cause',
    '',
    '_To be written._',
    '',
    '## What went well, what did not',
    '',
    '_To be written._',
    '',
    ...appendixSection(detail, pm.time, options.appendix ?? true),
    '',
  ];
  return lines.join('\n');
}
