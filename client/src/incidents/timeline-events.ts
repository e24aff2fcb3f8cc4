import type { TimelineEntry } from '@hqwatch/shared';
import { HQ_DOWN_CAUSE, HQ_STATE, NODE_STATUS, SERVICE_LABEL, SERVICE_STATUS, STANDBY_STATUS, type Tone } from '../ui/status.ts';
import { formatDurationMs, WINDOW_LABEL } from './format.ts';

export interface EventLine {
  key: string;
  ms: number;
  glyph: string;
  tone: Tone;
  text: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line of the incident's event log; annotations are listed with the notes, not here. */
export function describeEntry(entry: TimelineEntry, names: ReadonlyMap<string, string>): Omit<EventLine, 'key' | 'ms'> | null {
  switch (entry.type) {
    case 'hq-transition': {
      const look = HQ_STATE[entry.to];
      const why = entry.cause ? ` (${HQ_DOWN_CAUSE[entry.cause]})` : '';
      return { glyph: look.glyph, tone: look.tone, text: `HQ: ${HQ_STATE[entry.from].word} → ${look.word}${why}` };
    }
    case 'standby-changed': {
      const look = STANDBY_STATUS[entry.to];
      const name = entry.standbyId === null ? 'none' : (names.get(entry.standbyId) ?? entry.standbyId);
      const change = entry.from === entry.to ? look.word : `${STANDBY_STATUS[entry.from].word} → ${look.word}`;
      return { glyph: look.glyph, tone: look.tone === 'ok' ? 'info' : look.tone, text: `Standby ${name}: ${change}` };
    }
    case 'node-status': {
      const look = NODE_STATUS[entry.to];
      const name = names.get(entry.nodeId) ?? entry.nodeId;
      const change = entry.from === entry.to ? look.word : `${NODE_STATUS[entry.from].word} → ${look.word}`;
      return { glyph: look.glyph, tone: look.tone, text: `${name}: ${change}${entry.flapping ? ' (flapping)' : ''}` };
    }
    case 'window-opened':
      return {
        glyph: '⇄',
        tone: 'bad',
        text: `${WINDOW_LABEL[entry.kind]} window opened${entry.kind === 'outage' ? ' (no expected length)' : ''}`,
      };
    case 'window-closed':
      return {
        glyph: entry.overrun ? '▲' : '✓',
        tone: entry.overrun ? 'bad' : 'ok',
        text: `${WINDOW_LABEL[entry.kind]} window closed after ${formatDurationMs(entry.durationMs)}${entry.overrun ? ' (overrun)' : ''}`,
      };
    case 'incident-opened':
      return { glyph: '●', tone: 'info', text: 'Incident opened' };
    case 'incident-closed':
      return { glyph: '✓', tone: 'ok', text: `Incident closed after ${formatDurationMs(entry.durationMs)}` };
    case 'impact': {
      const look = SERVICE_STATUS[entry.to];
      return {
        glyph: look.glyph,
        tone: look.tone,
        text: `${SERVICE_LABEL[entry.service]} ${look.word.toLowerCase()} at ${plural(entry.siteIds.length, 'site')}`,
      };
    }
    case 'monitor-gap':
      return {
        glyph: '?',
        tone: 'unknown',
        text: `Monitor not running for ${formatDurationMs(entry.durationMs)}: nothing is known of that time`,
      };
    case 'annotation':
      return null;
  }
}

/** The event log of an incident, oldest first. */
export function eventLines(timeline: readonly TimelineEntry[], names: ReadonlyMap<string, string>): EventLine[] {
  const lines: EventLine[] = [];
  timeline.forEach((entry, index) => {
    const line = describeEntry(entry, names);
    if (line) lines.push({ key: `${index}`, ms: Date.parse(entry.at), ...line });
  });
  return lines;
}

/** Index of the last line at or before `atMs` (the change in effect then), or -1. */
export function lineAt(lines: readonly EventLine[], atMs: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid]!.ms <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
