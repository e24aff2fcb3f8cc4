import { switchCodeTone, type SiteSwitches, type StatusDbView, type SwitchTone } from '@hqwatch/shared';
import type { StatusLook, Tone } from '../ui/status.ts';

/** The matrix column that is not a service: the site's voice switches. */
export const SWITCHES_COLUMN = 'switches';

const TONE: Record<SwitchTone, Tone> = { ok: 'ok', info: 'info', warn: 'warn', bad: 'bad', unknown: 'unknown' };
const GLYPH: Record<Tone, string> = { ok: '✓', info: 'i', warn: '!', bad: '✕', unknown: '?', muted: '–' };

/** How a site's switches read in the matrix cell: `2/3` in service, with the worst status's tone and words. */
export interface SwitchesLook extends StatusLook {
  /** `2/3`: in service of all. */
  count: string;
  /** For screen readers and the tooltip: "2 of 3 switches in service; worst: lost communication". */
  label: string;
}

/** The look of a site's switch summary; null switches (not read yet) read as no data. */
export function switchesLook(switches: SiteSwitches | undefined): SwitchesLook {
  if (!switches) return { word: 'No data', glyph: '–', tone: 'muted', count: '–', label: 'No switch status read yet' };
  if (switches.total === 0 || !switches.worst)
    return { word: 'None found', glyph: '–', tone: 'muted', count: '0', label: 'No switch of this site is in the status database' };
  const tone = TONE[switchCodeTone(switches.worst.code)];
  const count = `${switches.inService}/${switches.total}`;
  const noun = switches.total === 1 ? 'switch' : 'switches';
  const worst = switches.inService === switches.total ? '' : `; worst: ${switches.worst.text}`;
  return {
    word: switches.worst.text,
    glyph: GLYPH[tone],
    tone,
    count,
    label: `${switches.inService} of ${switches.total} ${noun} in service${worst}`,
  };
}

/** A sentence about the source, for the line above the matrix and the tooltip. */
export interface SourceNotice {
  tone: Tone;
  glyph: string;
  text: string;
  /** Figures shown are older than the last read attempt. */
  old: boolean;
}

/**
 * The status database's own status in words. Unreachable during a window is what the vendor
 * describes (no HQ services), so it is said calmly, not as an error.
 */
export function sourceNotice(view: StatusDbView, clock: (time: string) => string): SourceNotice {
  const asOf = view.readAt ? `showing what was read at ${clock(view.readAt)}` : 'nothing read yet';
  switch (view.status) {
    case 'ok':
      return { tone: 'ok', glyph: '✓', text: `Status database read at ${clock(view.readAt ?? view.since)}`, old: false };
    case 'starting':
      return { tone: 'muted', glyph: '…', text: 'Status database: first read in progress', old: false };
    case 'stale':
      return {
        tone: 'warn',
        glyph: '⏸',
        text: `Status database stale since ${clock(view.since)}: ${view.error ?? 'the read failed'}; ${asOf}`,
        old: true,
      };
    case 'unreachable':
      return view.expected
        ? {
            tone: 'info',
            glyph: 'i',
            text: `Status database unreachable since ${clock(view.since)}, as expected while HQ services are down: ${view.error ?? ''}; ${asOf}`.replace(
              ': ;',
              ';',
            ),
            old: true,
          }
        : {
            tone: 'warn',
            glyph: '✕',
            text: `Status database unreachable since ${clock(view.since)}: ${view.error ?? 'no connection'}; ${asOf}`,
            old: true,
          };
  }
}

/** `TMS running`: a server service in a word, running or not. */
export function serviceLook(service: { stateText: string; running: boolean }): StatusLook {
  return service.running ? { word: service.stateText, glyph: '✓', tone: 'ok' } : { word: service.stateText, glyph: '✕', tone: 'bad' };
}
