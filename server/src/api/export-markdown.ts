import {
  estimateText,
  formatDuration,
  HQ_DOWN_CAUSE,
  hasExpectedLength,
  vendorRangeNote,
  type ImpactGroupEntry,
  type IncidentDetail,
  type TimelineEntry,
  type WindowSummary,
} from '@hqwatch/shared';
import { statusDbSection } from './export-switches.ts';

/** Characters with a meaning in CommonMark or GFM anywhere in a line, or in what autolinkers look for. */
const MARKUP = /[\\`*_[\]()#!|~{}+=.:@<>&]/g;

/**
 * Text as Markdown shows it literally: `&`, `<` and `>` are entity-encoded, every other character
 * that means something in CommonMark or GFM is backslash-escaped (`-` only where it starts a line),
 * and so are `.`, `:` and `@`: `http\://…`, `www\.…`, `evil\.example` and `a\@b` no longer match
 * what GitHub's and linkify-style autolinkers turn into links, since the escaped character is not
 * plain text where they look for it. So operator text never becomes markup, a list, a table cell,
 * an image or a link. Renderers show each escaped character alone.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(MARKUP, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`))
    .replace(/^(\s*)-/gm, '$1\\-');
}

/** A table cell: escaped, on one line. */
function cell(text: string): string {
  return escapeMarkdown(text.replace(/\r?\n|\r/g, ' '));
}

const KIND_NAMES = { failover: 'Failover', failback: 'Failback', outage: 'Outage' } as const;

function range(w: { expectedMinMs: number; expectedMaxMs: number }): string {
  return `${formatDuration(w.expectedMinMs)}–${formatDuration(w.expectedMaxMs)}`;
}

/** The expected range of a window, or why it has none. */
function expectedOf(w: WindowSummary): string {
  return hasExpectedLength(w.kind) ? range(w) : 'none (an outage)';
}

/** The window's kind, with the migration's mark when it was recorded under the old rules. */
function kindOf(w: WindowSummary): string {
  const kind = w.kindNote ? `${KIND_NAMES[w.kind]} (${w.kindNote})` : KIND_NAMES[w.kind];
  return w.planned ? `${kind}, planned (${cell(w.planned)})` : kind;
}

/** What an open failover or failback usually takes here, as the live banner says it. */
function estimateLine(w: WindowSummary): string | null {
  if (w.endedAt !== null || w.kind === 'outage' || !w.estimate) return null;
  const note = vendorRangeNote(w.estimate, w.kind);
  return `- **Open ${w.kind}:** ${formatDuration(w.durationMs)} so far, ${estimateText(w.estimate, w.kind)}${note ? ` (${note})` : ''}`;
}

function verdict(w: WindowSummary): string {
  switch (w.verdict) {
    case 'overrun':
      return `**over** the expected maximum by ${formatDuration(w.durationMs - w.expectedMaxMs)}`;
    case 'short':
      return 'shorter than expected';
    case 'open':
      return 'still open';
    case 'no-expected-length':
      return 'an outage: no expected length';
    default:
      return 'within the expected range';
  }
}

function describe(e: Exclude<TimelineEntry, ImpactGroupEntry>): string {
  switch (e.type) {
    case 'hq-transition':
      return `HQ state: ${e.from} → **${e.to}**${e.cause ? ` (${HQ_DOWN_CAUSE[e.cause]})` : ''}`;
    case 'standby-changed':
      return e.standbyId === null
        ? `Standby: ${e.from} → **${e.to}** (no server would take over)`
        : `Standby (${e.standbyId}): ${e.from} → **${e.to}**`;
    case 'node-status':
      return e.from === e.to
        ? `Node ${cell(e.nodeId)} ${e.flapping ? 'started' : 'stopped'} flapping`
        : `Node ${cell(e.nodeId)}: ${e.from} → **${e.to}**${e.flapping ? ' (flapping)' : ''}`;
    case 'window-opened':
      return hasExpectedLength(e.kind)
        ? `${KIND_NAMES[e.kind]} window opened (expected ${range(e)})`
        : `${KIND_NAMES[e.kind]} window opened (no expected length)`;
    case 'window-closed':
      return `${KIND_NAMES[e.kind]} window closed after ${formatDuration(e.durationMs)}${e.overrun ? ', **over** the expected maximum' : ''}`;
    case 'incident-opened':
      return 'Incident opened';
    case 'incident-closed':
      return `Incident closed after ${formatDuration(e.durationMs)}`;
    case 'monitor-gap':
      return `**Monitor down** from ${e.from} to ${e.to} (${formatDuration(e.durationMs)}): nothing is known of this time`;
    case 'annotation':
      return `Note: ${cell(e.text)}`;
  }
}

/**
 * A service as the postmortem names it: its key, except Call Manager's telephony and video, which
 * the vendor's notes mean (desk phones on the voice switches are another matter).
 */
function serviceName(service: string): string {
  return service === 'telephony' || service === 'video' ? `Call Manager ${service}` : service;
}

/** Impact changes of one moment, counted: "Call Manager telephony down at 120 sites; voicemail ok at 3 sites". */
function describeImpact(groups: readonly ImpactGroupEntry[]): string {
  const parts = groups.map((g) => `${serviceName(g.service)} ${g.to} at ${g.siteIds.length} site${g.siteIds.length === 1 ? '' : 's'}`);
  return `Impact: ${parts.join('; ')}`;
}

function timeline(entries: readonly TimelineEntry[]): string[] {
  const lines = ['| Time (UTC) | Event |', '|---|---|'];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.type !== 'impact') {
      lines.push(`| ${e.at} | ${describe(e)} |`);
      continue;
    }
    const moment: ImpactGroupEntry[] = [];
    for (; i < entries.length; i++) {
      const next = entries[i]!;
      if (next.type !== 'impact' || next.at !== e.at) break;
      moment.push(next);
    }
    i -= 1;
    lines.push(`| ${e.at} | ${describeImpact(moment)} |`);
  }
  return lines;
}

/**
 * A postmortem skeleton: summary, timeline, windows against the expected range, impact per site
 * with durations, the operators' annotations, and headings for what people must write.
 */
export function exportMarkdown(detail: IncidentDetail): string {
  const { incident, impact } = detail;
  const worst = incident.worstImpact;
  const over = incident.windows.filter((w) => w.overrun).length;
  const lines = [
    `# Incident ${cell(incident.id)}: postmortem`,
    '',
    '## Summary',
    '',
    `- **Started:** ${incident.startedAt}`,
    `- **Ended:** ${incident.endedAt ?? `still open (as of ${detail.asOf ?? 'unknown'})`}`,
    `- **Duration:** ${formatDuration(incident.durationMs)}`,
    ...(incident.planned ? [`- **Planned:** inside a maintenance window (${cell(incident.planned)}); its alerts were muted`] : []),
    `- **Time without HQ services:** ${formatDuration(incident.noServiceMs)} in ${incident.windows.length} window${incident.windows.length === 1 ? '' : 's'}${over ? ` (${over} over the expected maximum)` : ''}`,
    worst
      ? `- **Worst moment:** ${worst.at}: ${worst.sitesImpacted} site${worst.sitesImpacted === 1 ? '' : 's'} impacted, Call Manager telephony lost at ${worst.telephony.sites}${worst.telephony.users === null ? '' : ` (${worst.telephony.users} users)`}`
      : '- **Worst moment:** no site lost a service',
    `- **Sites that lost a service:** ${impact.length}`,
    ...incident.windows.flatMap((w) => estimateLine(w) ?? []),
    '',
    '## Timeline',
    '',
    ...timeline(detail.timeline),
    '',
    '## Windows',
    '',
  ];
  if (incident.windows.length === 0) lines.push('No window: HQ services were never entirely lost.');
  else {
    lines.push('| Kind | Started | Ended | Duration | Expected | Verdict |', '|---|---|---|---|---|---|');
    for (const w of incident.windows) {
      lines.push(
        `| ${kindOf(w)} | ${w.startedAt} | ${w.endedAt ?? 'open'} | ${formatDuration(w.durationMs)} | ${expectedOf(w)} | ${verdict(w)} |`,
      );
    }
  }
  lines.push('', '## Impact per site', '');
  if (impact.length === 0) lines.push('No site lost a service.');
  else {
    lines.push('| Site | Users | Service | Lost for | Intervals |', '|---|---|---|---|---|');
    for (const site of impact) {
      for (const s of site.services) {
        const intervals = s.intervals.map((i) => `${i.status} ${i.from} → ${i.to ?? 'open'} (${formatDuration(i.durationMs)})`).join('; ');
        lines.push(
          `| ${cell(site.name)} | ${site.userCount ?? ''} | ${serviceName(s.service)} | ${formatDuration(s.downMs)} | ${intervals} |`,
        );
      }
    }
  }
  lines.push(...statusDbSection(detail, cell));
  lines.push('', '## Annotations', '');
  const notes = detail.timeline.filter((e) => e.type === 'annotation');
  if (notes.length === 0) lines.push('None.');
  for (const note of notes) {
    const [first = '', ...rest] = note.text.split(/\r?\n|\r/).map(escapeMarkdown);
    lines.push(`- ${note.at}: ${first}${rest.map((line) => `  \n  ${line}`).join('')}`);
  }
  lines.push(
    '',
    '## Root cause',
    '',
    '_To be written._',
    '',
    '## What went well, what did not',
    '',
    '_To be written._',
    '',
    '## Follow-ups',
    '',
    '- [ ] ',
    '',
  );
  return lines.join('\n');
}
