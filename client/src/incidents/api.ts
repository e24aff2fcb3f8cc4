import type { Annotation, IncidentDetail, IncidentList, LiveState } from '@hqwatch/shared';

/** A REST answer, with a failure in words a person can act on. */
export type Result<T> = { ok: true; data: T } | { ok: false; status: number; code: string; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object';
}

async function request<T>(path: string, accept: (body: unknown) => boolean, init: RequestInit = {}): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    return { ok: false, status: 0, code: 'network', message: 'The server cannot be reached.' };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: told apart below.
  }
  if (!response.ok) {
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    const message = typeof error.message === 'string' ? error.message : `The server answered HTTP ${response.status}.`;
    return { ok: false, status: response.status, code: typeof error.code === 'string' ? error.code : 'http', message };
  }
  if (!accept(body))
    return { ok: false, status: response.status, code: 'format', message: 'The server answered with an unexpected format.' };
  return { ok: true, data: body as T };
}

export interface ListQuery {
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export function fetchIncidents(query: ListQuery, signal?: AbortSignal): Promise<Result<IncidentList>> {
  const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  return request(`/api/incidents?${params}`, (b) => isRecord(b) && Array.isArray(b.incidents), { signal });
}

const incidentPath = (id: string) => `/api/incidents/${encodeURIComponent(id)}`;

export function fetchIncident(id: string, signal?: AbortSignal): Promise<Result<IncidentDetail>> {
  return request(incidentPath(id), (b) => isRecord(b) && isRecord(b.incident) && Array.isArray(b.timeline), { signal });
}

export function fetchReplay(id: string, atIso: string, signal?: AbortSignal): Promise<Result<LiveState>> {
  return request(`${incidentPath(id)}/replay?at=${encodeURIComponent(atIso)}`, (b) => isRecord(b) && Array.isArray(b.sites), { signal });
}

export function postAnnotation(id: string, token: string, body: { text: string; at?: string }): Promise<Result<Annotation>> {
  return request(`${incidentPath(id)}/annotations`, (b) => isRecord(b) && typeof b.id === 'string', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

export const EXPORT_FORMATS = [
  { format: 'json', label: 'JSON' },
  { format: 'csv', label: 'CSV' },
  { format: 'md', label: 'Markdown postmortem' },
] as const;

export function exportUrl(id: string, format: (typeof EXPORT_FORMATS)[number]['format']): string {
  return `${incidentPath(id)}/export?format=${format}`;
}
