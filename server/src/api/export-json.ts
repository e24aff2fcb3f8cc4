import type { IncidentDetail } from '@hqwatch/shared';

/** Version of the JSON export's shape, for tools that read it. */
export const INCIDENT_EXPORT_VERSION = 1;

/** The whole incident detail as a self-describing JSON document. */
export function exportJson(detail: IncidentDetail, exportedAt: string): string {
  return `${JSON.stringify({ format: 'hqwatch-incident', version: INCIDENT_EXPORT_VERSION, exportedAt, ...detail }, null, 2)}\n`;
}
