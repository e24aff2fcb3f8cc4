import type { Annotation, AvailabilityReport, IncidentDetail, IncidentList, LiveState } from '@hqwatch/shared';
import { request, type Fetched } from './request.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object';
}

const isIncidentList = (body: unknown): body is IncidentList => isRecord(body) && Array.isArray(body.incidents);
const isIncidentDetail = (body: unknown): body is IncidentDetail =>
  isRecord(body) && isRecord(body.incident) && Array.isArray(body.timeline);
const isLiveState = (body: unknown): body is LiveState => isRecord(body) && Array.isArray(body.sites);
const isAnnotation = (body: unknown): body is Annotation => isRecord(body) && typeof body.id === 'string';
const isAvailabilityReport = (body: unknown): body is AvailabilityReport => isRecord(body) && Array.isArray(body.sites);

/** A range of incidents, times in ISO 8601; without limit and offset the server's first page. */
export interface ListQuery {
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

export function fetchIncidents(query: ListQuery, signal?: AbortSignal): Promise<Fetched<IncidentList>> {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'limit', 'offset'] as const) if (query[key] !== undefined) params.set(key, String(query[key]));
  return request(`/api/incidents?${params}`, isIncidentList, { signal });
}

const incidentPath = (id: string) => `/api/incidents/${encodeURIComponent(id)}`;

export function fetchIncident(id: string, signal?: AbortSignal): Promise<Fetched<IncidentDetail>> {
  return request(incidentPath(id), isIncidentDetail, { signal });
}

export function fetchReplay(id: string, atIso: string, signal?: AbortSignal): Promise<Fetched<LiveState>> {
  return request(`${incidentPath(id)}/replay?at=${encodeURIComponent(atIso)}`, isLiveState, { signal });
}

/** Adds a note as the operator signed in (its session cookie), or with an operator token when one is given. */
export function postAnnotation(id: string, token: string, body: { text: string; at?: string }): Promise<Fetched<Annotation>> {
  return request(`${incidentPath(id)}/annotations`, isAnnotation, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** Availability per site and service between two moments (ms). */
export function fetchAvailability(fromMs: number, toMs: number, signal?: AbortSignal): Promise<Fetched<AvailabilityReport>> {
  const params = new URLSearchParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });
  return request(`/api/availability?${params}`, isAvailabilityReport, { signal });
}

export const EXPORT_FORMATS = [
  { format: 'json', label: 'JSON' },
  { format: 'csv', label: 'CSV' },
  { format: 'md', label: 'Markdown postmortem' },
] as const;

export function exportUrl(id: string, format: (typeof EXPORT_FORMATS)[number]['format']): string {
  return `${incidentPath(id)}/export?format=${format}`;
}
