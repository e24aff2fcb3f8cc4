import { rehomingTimeline, type IncidentDetail, type SwitchInterval } from '@hqwatch/shared';

function stretch(i: SwitchInterval, cell: (text: string) => string, time: (iso: string) => string): string {
  const under = i.hqState ? ` (read while HQ was ${i.hqState})` : '';
  return `${cell(i.text)} ${i.from ? `from ${time(i.from)}` : 'before'} ${i.to ? `to ${time(i.to)}` : 'onwards'}${under}`;
}

/**
 * The postmortem's "Switches" section: the status database's own changes, then per site which
 * switches lost communication and when each came back. Nothing when no status database was read.
 */
export function statusDbSection(detail: IncidentDetail, cell: (text: string) => string, time: (iso: string) => string): string[] {
  if (detail.switchChanges === undefined) return [];
  const lines = ['', '### Switches (ShoreWare status database)', ''];
  for (const e of detail.statusDbChanges ?? []) {
    const why = e.error ? `: ${cell(e.error)}` : '';
    lines.push(
      `- ${time(e.at)}: the status database went ${e.from} → **${e.to}**${why}${e.expected ? ' (expected while an HQ window is open)' : ''}`,
    );
  }
  const sites = rehomingTimeline(detail.switchChanges);
  if (sites.length === 0) {
    lines.push(...(detail.statusDbChanges?.length ? [''] : []), 'No switch changed status.');
    return lines;
  }
  const names = new Map(detail.impact.map((s) => [s.siteId, s.name]));
  if (detail.statusDbChanges?.length) lines.push('');
  lines.push('| Site | Switch | Status changes |', '|---|---|---|');
  for (const site of sites) {
    for (const sw of site.switches) {
      lines.push(
        `| ${cell(names.get(site.siteId) ?? site.siteId)} | ${cell(sw.switch)} | ${sw.intervals.map((i) => stretch(i, cell, time)).join('; ')} |`,
      );
    }
  }
  return lines;
}
