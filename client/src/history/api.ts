import type { AvailabilityReport, IncidentList } from '@hqwatch/shared';

/** The result of a history request, with the cases a chart shows differently. */
export type Fetched<T> =
  | { status: 'ready'; data: T }
  /** The server has no history (not built in, or no store): the chart says so instead of failing. */
  | { status: 'unavailable'; message: string }
  | { status: 'error'; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object';
}

/** Gets JSON from the hqwatch API, folding every failure into a `Fetched` the UI can show. */
export async function fetchJson<T>(path: string, accept: (body: unknown) => body is T, signal?: AbortSignal): Promise<Fetched<T>> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { status: 'error', message: 'The server cannot be reached.' };
  }
  if (response.status === 404 || response.status === 501)
    return { status: 'unavailable', message: 'History is not available on this server.' };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { status: 'unavailable', message: 'History is not available on this server.' };
  }
  if (!response.ok) {
    const message =
      isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string' ? body.error.message : `HTTP ${response.status}`;
    return { status: 'error', message };
  }
  return accept(body)
    ? { status: 'ready', data: body }
    : { status: 'unavailable', message: 'The server answered with an unexpected format.' };
}

export function isIncidentList(body: unknown): body is IncidentList {
  return isRecord(body) && Array.isArray(body.incidents);
}

export function isAvailabilityReport(body: unknown): body is AvailabilityReport {
  return isRecord(body) && Array.isArray(body.sites);
}

/** `?from=…&to=…` of a range in ms. */
export function rangeQuery(fromMs: number, toMs: number): string {
  return new URLSearchParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() }).toString();
}
