import { rehomingTimeline, serviceStateText, type IncidentDetail, type ServerServiceEvent, type SwitchInterval } from '@hqwatch/shared';

function stretch(i: SwitchInterval, cell: (text: string) => string, time: (iso: string) => string): string {
  const under = i.hqState ? ` (read while HQ was ${i.hqState})` : '';
  return `${cell(i.text)} ${i.from ? `from ${time(i.from)}` : 'before'} ${i.to ? `to ${time(i.to)}` : 'onwards'}${under}`;
}

/** Per node and service, its state changes in words: "running from 10:02 → stopped from 10:05 (read while HQ was failing-over)". */
function serviceLines(detail: IncidentDetail, cell: (text: string) => string, time: (iso: string) => string): string[] {
  const changes = detail.serviceChanges ?? [];
  if (changes.length === 0) return [];
  const nodeNames = new Map((detail.servers ?? []).map((s) => [s.id, s.name]));
  const byService = new Map<string, ServerServiceEvent[]>();
  for (const e of changes) {
    const key = `${e.nodeId}\u0000${e.service}`;
    byService.set(key, [...(byService.get(key) ?? []), e]);
  }
  const lines = ['', '| Server | Service | State changes |', '|---|---|---|'];
  for (const events of byService.values()) {
    const first = events[0]!;
    const steps = events.map((e) => {
      const to = e.to === null ? 'not listed' : serviceStateText(e.to);
      return `${cell(to)} from ${time(e.at)} (read while HQ was ${e.hqState})`;
    });
    const before = first.from === null ? [] : [`${cell(serviceStateText(first.from))} before`];
    lines.push(
      `| ${cell(nodeNames.get(first.nodeId) ?? first.nodeId)} | ${cell(first.displayName)} (${cell(first.service)}) | ${[...before, ...steps].join('; ')} |`,
    );
  }
  return lines;
}

/**
 * The postmortem's "Switches" section: the status database's own changes, then per site which
 * switches lost communication and when each came back, then the servers' services that changed state. Nothing when no status database was read.
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
    lines.push(...(detail.statusDbChanges?.length ? [''] : []), 'No switch changed status.', ...serviceLines(detail, cell, time));
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
  lines.push(...serviceLines(detail, cell, time));
  return lines;
}
