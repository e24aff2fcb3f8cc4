import type {
  Annotation,
  AvailabilityReport,
  IncidentDetail,
  IncidentList,
  LiveState,
  MaintenanceList,
  MaintenanceWindow,
  NotifyOverview,
  TestSendResult,
} from '@hqwatch/shared';
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
export function postAnnotation(
  id: string,
  token: string,
  body: { text: string; at?: string; followUp?: boolean },
): Promise<Fetched<Annotation>> {
  return request(`${incidentPath(id)}/annotations`, isAnnotation, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** Marks a note as a follow-up (the postmortem's checklist), or not; as for adding a note. */
export function patchAnnotation(id: string, noteId: string, token: string, followUp: boolean): Promise<Fetched<Annotation>> {
  return request(`${incidentPath(id)}/annotations/${encodeURIComponent(noteId)}`, isAnnotation, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ followUp }),
  });
}

/** Availability per site and service between two moments (ms); `planned: 'exclude'` leaves maintenance windows out. */
export function fetchAvailability(
  fromMs: number,
  toMs: number,
  signal?: AbortSignal,
  planned: 'include' | 'exclude' = 'include',
): Promise<Fetched<AvailabilityReport>> {
  const params = new URLSearchParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });
  if (planned === 'exclude') params.set('planned', 'exclude');
  return request(`/api/availability?${params}`, isAvailabilityReport, { signal });
}

export const EXPORT_FORMATS = [
  { format: 'json', label: 'JSON' },
  { format: 'csv', label: 'CSV' },
  { format: 'md', label: 'Markdown postmortem' },
] as const;

/**
 * The download's address. The Markdown postmortem says its times in `zone` (the reader's, UTC
 * beside) and leaves its appendix out when `appendix` is false.
 */
export function exportUrl(
  id: string,
  format: (typeof EXPORT_FORMATS)[number]['format'],
  options: { zone?: string | null; appendix?: boolean } = {},
): string {
  const params = new URLSearchParams({ format });
  if (format === 'md' && options.zone && options.zone !== 'UTC') params.set('tz', options.zone);
  if (format === 'md' && options.appendix === false) params.set('appendix', '0');
  return `${incidentPath(id)}/export?${params}`;
}

const isNotifyOverview = (body: unknown): body is NotifyOverview => isRecord(body) && Array.isArray(body.channels);
const isTestSend = (body: unknown): body is TestSendResult => isRecord(body) && typeof body.ok === 'boolean';
const isMaintenanceList = (body: unknown): body is MaintenanceList => isRecord(body) && Array.isArray(body.windows);
const isMaintenanceWindow = (body: unknown): body is MaintenanceWindow => isRecord(body) && typeof body.id === 'string';
const isOk = (body: unknown): body is { ok: true } => isRecord(body) && body.ok === true;
const isRemoved = (body: unknown): body is { window: MaintenanceWindow; removed: boolean } => isRecord(body) && isRecord(body.window);

/** An operator's request: the token when one is given, else the session cookie goes alone. */
const operator = (token: string, json = false): Record<string, string> => ({
  ...(token && { authorization: `Bearer ${token}` }),
  ...(json && { 'content-type': 'application/json' }),
});

/** How alerting stands: channels (no secrets), pending and undeliverable deliveries. */
export function fetchNotify(signal?: AbortSignal): Promise<Fetched<NotifyOverview>> {
  return request('/api/notify', isNotifyOverview, { signal });
}

/** Sends a test message on a channel (operators); a channel that failed answers 502 with the reason. */
export async function postTestSend(channel: string, token: string): Promise<Fetched<TestSendResult>> {
  const result = await request('/api/notify/test', isTestSend, {
    method: 'POST',
    headers: operator(token, true),
    body: JSON.stringify({ channel }),
  });
  return result;
}

export function postRetry(id: number, token: string): Promise<Fetched<{ ok: true }>> {
  return request(`/api/notify/outbox/${id}/retry`, isOk, { method: 'POST', headers: operator(token) });
}

export function fetchMaintenance(signal?: AbortSignal): Promise<Fetched<MaintenanceList>> {
  return request('/api/maintenance', isMaintenanceList, { signal });
}

export function postMaintenance(
  body: { from?: string; to?: string; duration?: string; reason: string },
  token: string,
): Promise<Fetched<MaintenanceWindow>> {
  return request('/api/maintenance', isMaintenanceWindow, { method: 'POST', headers: operator(token, true), body: JSON.stringify(body) });
}

export function deleteMaintenance(id: string, token: string): Promise<Fetched<{ window: MaintenanceWindow; removed: boolean }>> {
  return request(`/api/maintenance/${encodeURIComponent(id)}`, isRemoved, { method: 'DELETE', headers: operator(token) });
}
