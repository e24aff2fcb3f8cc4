import {
  durationWords,
  SERVICE_TITLE,
  serviceInline,
  type ImpactGroupEntry,
  type IncidentDetail,
  type ServiceStatus,
  type TimeWords,
} from '@hqwatch/shared';
import { cell } from './markdown-text.ts';
import { statusDbSection } from './export-switches.ts';

const STATUS_WORD: Record<ServiceStatus, string> = { ok: 'back', down: 'lost', unknown: 'uncertain', 'n/a': 'not applicable' };

/** Impact changes of one moment, counted: "Call Manager telephony lost at 120 sites; voicemail back at 3 sites". */
function describeImpact(groups: readonly ImpactGroupEntry[]): string {
  return groups
    .map(
      (g) =>
        `${serviceInline(SERVICE_TITLE[g.service])} ${STATUS_WORD[g.to]} at ${g.siteIds.length} site${g.siteIds.length === 1 ? '' : 's'}`,
    )
    .join('; ');
}

function impactChanges(detail: IncidentDetail, time: TimeWords): string[] {
  const moments = new Map<string, ImpactGroupEntry[]>();
  for (const e of detail.timeline) if (e.type === 'impact') moments.set(e.at, [...(moments.get(e.at) ?? []), e]);
  if (moments.size === 0) return ['No impact change was recorded.'];
  const lines = ['| Time | Change |', '| --- | --- |'];
  for (const [at, groups] of moments) lines.push(`| ${time.time(at)} | ${describeImpact(groups)} |`);
  return lines;
}

function perSite(detail: IncidentDetail, time: TimeWords): string[] {
  if (detail.impact.length === 0) return ['No site lost a service.'];
  const lines = ['| Site | Users | Service | Without it for | Intervals |', '| --- | --: | --- | --: | --- |'];
  for (const site of detail.impact) {
    for (const s of site.services) {
      const intervals = s.intervals
        .map((i) => `${i.status} ${time.time(i.from)} to ${i.to ? time.time(i.to) : 'open'} (${durationWords(i.durationMs)})`)
        .join('; ');
      lines.push(
        `| ${cell(site.name)} | ${site.userCount ?? ''} | ${SERVICE_TITLE[s.service]} | ${durationWords(s.downMs)} | ${intervals} |`,
      );
    }
  }
  return lines;
}

/**
 * The appendix: what each site lost, service by service with every interval, the impact changes
 * moment by moment, and the voice switches read from the status database. Left out (`appendix=0`),
 * a line says where the detail is.
 */
export function appendixSection(detail: IncidentDetail, time: TimeWords, included: boolean): string[] {
  const lines = ['## Appendix: detail per site', ''];
  if (!included)
    return [...lines, '_Left out of this export: the full Markdown, the CSV and the JSON export hold every site, service and interval._'];
  lines.push('### Impact per site', '', ...perSite(detail, time), '', '### Impact changes', '', ...impactChanges(detail, time));
  lines.push(...statusDbSection(detail, cell, (iso) => time.time(iso)));
  return lines;
}
