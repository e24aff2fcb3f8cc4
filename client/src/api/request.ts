import { onScopeDispose, shallowRef } from 'vue';

/** Why a request gave no answer, in words a person can act on. */
export interface Failure {
  status: 'failed';
  /** The HTTP status; 0 when the server could not be reached. */
  httpStatus: number;
  /** The API's error code, or `network`, `http` (an error without one), `not_json`, `format`. */
  code: string;
  message: string;
}

/** The result of a REST request: the answer, or why there is none. It never throws but on abort. */
export type Fetched<T> = { status: 'ready'; data: T } | Failure;

/** A request as a view shows it: not asked yet, on its way (with what was shown before), or answered. */
export type Loaded<T> = { status: 'idle' } | { status: 'loading'; previous: T | null } | Fetched<T>;

export const NO_HISTORY = 'History is not available on this server.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object';
}

function failure(httpStatus: number, code: string, message: string): Failure {
  return { status: 'failed', httpStatus, code, message };
}

/**
 * Asks the hqwatch API for JSON and checks its shape with `accept`. Every failure comes back as a
 * `Failure`; only an abort through `init.signal` rejects, so that a superseded request is told
 * apart from a failed one.
 */
export async function request<T>(path: string, accept: (body: unknown) => body is T, init: RequestInit = {}): Promise<Fetched<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    return failure(0, 'network', 'The server cannot be reached.');
  }
  let body: unknown;
  try {
    // 204 No Content (a logout, a removal): an answer with nothing in it.
    body = response.status === 204 ? null : await response.json();
  } catch {
    return response.ok
      ? failure(response.status, 'not_json', 'The server answered with an unexpected format.')
      : failure(response.status, 'http', `The server answered HTTP ${response.status}.`);
  }
  if (!response.ok) {
    const error = isRecord(body) && isRecord(body.error) ? body.error : {};
    return failure(
      response.status,
      typeof error.code === 'string' ? error.code : 'http',
      typeof error.message === 'string' ? error.message : `The server answered HTTP ${response.status}.`,
    );
  }
  return accept(body)
    ? { status: 'ready', data: body }
    : failure(response.status, 'format', 'The server answered with an unexpected format.');
}

/**
 * A failure as a history view tells it: a 404 or 501, or a page where JSON was expected, means the
 * server keeps no history (hqwatch without a store, or another server at this address).
 */
export function asHistory<R extends Fetched<unknown>>(result: R): R {
  if (result.status === 'ready') return result;
  const missing = result.httpStatus === 404 || result.httpStatus === 501 || result.code === 'not_json';
  return missing ? { ...result, message: NO_HISTORY } : result;
}

/** The data a view shows: the answer, or while a new one is on its way, the one before. */
export function dataOf<T>(loaded: Loaded<T>): T | null {
  if (loaded.status === 'ready') return loaded.data;
  return loaded.status === 'loading' ? loaded.previous : null;
}

/**
 * One request at a time: starting one aborts the one in flight, whose answer is then dropped.
 * `run` resolves to `null` for a request that was aborted, by a newer one or by `abort`.
 */
export function singleFlight() {
  let inflight: AbortController | null = null;
  return {
    async run<T>(send: (signal: AbortSignal) => Promise<T>): Promise<{ value: T } | null> {
      inflight?.abort();
      const mine = (inflight = new AbortController());
      try {
        const value = await send(mine.signal);
        return mine.signal.aborted ? null : { value };
      } catch (error) {
        if (mine.signal.aborted) return null;
        throw error;
      } finally {
        if (inflight === mine) inflight = null;
      }
    },
    abort(): void {
      inflight?.abort();
      inflight = null;
    },
    busy: () => inflight !== null,
  };
}

/**
 * A request whose answer a view shows, kept in a shallow ref (payloads never become deep reactive
 * proxies). A newer `load` supersedes the one in flight; leaving the scope aborts it.
 *
 * With `refresh`, what is shown stays while the request runs, and a failure other than a 404 (the
 * thing is gone) leaves it: a page kept open does not flash, nor lose its data to a passing error.
 */
export function useRequest<T>() {
  const state = shallowRef<Loaded<T>>({ status: 'idle' });
  const flight = singleFlight();

  async function load(send: (signal: AbortSignal) => Promise<Fetched<T>>, options: { refresh?: boolean } = {}): Promise<void> {
    if (!options.refresh) state.value = { status: 'loading', previous: dataOf(state.value) };
    const answer = await flight.run(send);
    if (!answer) return;
    const result = answer.value;
    if (options.refresh && result.status === 'failed' && result.httpStatus !== 404 && state.value.status === 'ready') return;
    state.value = result;
  }

  function reset(): void {
    flight.abort();
    state.value = { status: 'idle' };
  }

  onScopeDispose(() => flight.abort());
  return { state, load, reset };
}
