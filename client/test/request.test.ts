import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import { fetchAvailability, fetchIncidents } from '../src/api/endpoints.ts';
import { asHistory, NO_HISTORY, request, singleFlight, useRequest, type Fetched } from '../src/api/request.ts';

const isList = (body: unknown): body is { incidents: unknown[] } => !!body && Array.isArray((body as { incidents?: unknown }).incidents);

function answer(status: number, body: string, type = 'application/json') {
  const fetch = vi.fn(async (_path: string, _init?: RequestInit) => new Response(body, { status, headers: { 'content-type': type } }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

/** A request the test answers (or that is aborted) when it chooses. */
function pending<T>() {
  let settle!: (value: Fetched<T>) => void;
  let signal!: AbortSignal;
  const send = (s: AbortSignal) => {
    signal = s;
    return new Promise<Fetched<T>>((resolve, reject) => {
      settle = resolve;
      s.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  };
  return { send, answer: (value: Fetched<T>) => settle(value), aborted: () => signal.aborted };
}

const ready = <T>(data: T): Fetched<T> => ({ status: 'ready', data });
const failed = (httpStatus: number, code = 'http'): Fetched<never> => ({
  status: 'failed',
  httpStatus,
  code,
  message: `failed ${httpStatus}`,
});

describe('request: one result for every REST call', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('returns the payload when the server has it', async () => {
    answer(200, JSON.stringify({ incidents: [], total: 0, limit: 50, offset: 0, asOf: null }));
    expect(await request('/api/incidents', isList)).toMatchObject({ status: 'ready', data: { total: 0 } });
  });

  it('shows the server message and code of an error', async () => {
    answer(400, JSON.stringify({ error: { code: 'bad_range', message: 'from is after to', field: 'from' } }));
    expect(await request('/api/incidents', isList)).toEqual({
      status: 'failed',
      httpStatus: 400,
      code: 'bad_range',
      message: 'from is after to',
    });
  });

  it('reports an unreachable server', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('failed to fetch'))),
    );
    expect(await request('/api/incidents', isList)).toMatchObject({
      httpStatus: 0,
      code: 'network',
      message: 'The server cannot be reached.',
    });
  });

  it('tells an answer of the wrong shape, and an error without a JSON body', async () => {
    answer(200, JSON.stringify({ nothing: true }));
    expect(await request('/api/incidents', isList)).toMatchObject({
      code: 'format',
      message: 'The server answered with an unexpected format.',
    });
    answer(502, '<html>Bad gateway</html>', 'text/html');
    expect(await request('/api/incidents', isList)).toMatchObject({ httpStatus: 502, message: 'The server answered HTTP 502.' });
  });

  it('rejects only when aborted, so a superseded request is not taken for a failure', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_path: string, init?: RequestInit) => {
        if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
        return new Response('{}');
      }),
    );
    const controller = new AbortController();
    controller.abort();
    await expect(request('/api/incidents', isList, { signal: controller.signal })).rejects.toThrow('aborted');
  });
});

describe('asHistory: history that may not be there', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says history is unavailable on a 404', async () => {
    answer(404, JSON.stringify({ error: { code: 'not_found', message: 'no route' } }));
    expect(asHistory(await request('/api/incidents', isList))).toMatchObject({ status: 'failed', message: NO_HISTORY });
  });

  it('says history is unavailable when the page answers instead of the API', async () => {
    answer(200, '<!doctype html><html></html>', 'text/html');
    expect(asHistory(await request('/api/incidents', isList))).toMatchObject({ status: 'failed', message: NO_HISTORY });
  });

  it('keeps any other failure as the server said it', async () => {
    answer(400, JSON.stringify({ error: { code: 'bad_range', message: 'from is after to' } }));
    expect(asHistory(await request('/api/incidents', isList))).toMatchObject({ message: 'from is after to' });
  });
});

describe('endpoints', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('send ranges as ISO times', async () => {
    const fetch = answer(200, JSON.stringify({ sites: [], incidents: [] }));
    await fetchAvailability(0, 1000);
    await fetchIncidents({ from: new Date(0).toISOString(), limit: 20, offset: 40 });
    expect(fetch.mock.calls.map(([path]) => path)).toEqual([
      '/api/availability?from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A00%3A01.000Z',
      '/api/incidents?from=1970-01-01T00%3A00%3A00.000Z&limit=20&offset=40',
    ]);
  });
});

describe('singleFlight and useRequest: the latest request wins', () => {
  it('aborts the request in flight when another starts, and drops its answer', async () => {
    const flight = singleFlight();
    const first = pending<number>();
    const second = pending<number>();
    const firstRun = flight.run(first.send);
    const secondRun = flight.run(second.send);
    expect(first.aborted()).toBe(true);
    second.answer(ready(2));
    expect(await firstRun).toBeNull();
    expect(await secondRun).toEqual({ value: ready(2) });
    expect(flight.busy()).toBe(false);
  });

  it('shows the previous data while loading, and only the latest answer', async () => {
    const scope = effectScope();
    const req = scope.run(() => useRequest<string>())!;
    const first = pending<string>();
    await Promise.all([req.load(first.send), first.answer(ready('a'))]);
    expect(req.state.value).toEqual(ready('a'));

    const slow = pending<string>();
    const fast = pending<string>();
    const slowLoad = req.load(slow.send);
    expect(req.state.value).toEqual({ status: 'loading', previous: 'a' });
    const fastLoad = req.load(fast.send);
    fast.answer(ready('c'));
    await Promise.all([slowLoad, fastLoad]);
    expect(slow.aborted()).toBe(true);
    expect(req.state.value).toEqual(ready('c'));
    scope.stop();
  });

  it('refreshes in place: a passing failure leaves the data, a 404 replaces it', async () => {
    const scope = effectScope();
    const req = scope.run(() => useRequest<string>())!;
    const first = pending<string>();
    await Promise.all([req.load(first.send), first.answer(ready('a'))]);

    const flaky = pending<string>();
    const refreshing = req.load(flaky.send, { refresh: true });
    expect(req.state.value).toEqual(ready('a'));
    flaky.answer(failed(500));
    await refreshing;
    expect(req.state.value).toEqual(ready('a'));

    const gone = pending<string>();
    await Promise.all([req.load(gone.send, { refresh: true }), gone.answer(failed(404, 'not_found'))]);
    expect(req.state.value).toMatchObject({ status: 'failed', httpStatus: 404 });
    scope.stop();
  });

  it('aborts what is in flight when its scope ends', () => {
    const scope = effectScope();
    const req = scope.run(() => useRequest<string>())!;
    const never = pending<string>();
    void req.load(never.send);
    scope.stop();
    expect(never.aborted()).toBe(true);
  });
});
