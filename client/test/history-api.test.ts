import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchJson, isIncidentList, rangeQuery } from '../src/history/api.ts';

function answer(status: number, body: string, type = 'application/json') {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(body, { status, headers: { 'content-type': type } })),
  );
}

describe('fetchJson: history that may not be there', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('returns the payload when the server has it', async () => {
    answer(200, JSON.stringify({ incidents: [], total: 0, limit: 50, offset: 0, asOf: null }));
    expect(await fetchJson('/api/incidents', isIncidentList)).toMatchObject({ status: 'ready', data: { total: 0 } });
  });

  it('says history is unavailable on a 404', async () => {
    answer(404, JSON.stringify({ error: { code: 'not_found', message: 'no route' } }));
    expect(await fetchJson('/api/incidents', isIncidentList)).toEqual({
      status: 'unavailable',
      message: 'History is not available on this server.',
    });
  });

  it('says history is unavailable when the page answers instead of the API', async () => {
    answer(200, '<!doctype html><html></html>', 'text/html');
    expect((await fetchJson('/api/incidents', isIncidentList)).status).toBe('unavailable');
  });

  it('shows the server message of an error', async () => {
    answer(400, JSON.stringify({ error: { code: 'bad_range', message: 'from is after to', field: 'from' } }));
    expect(await fetchJson('/api/incidents', isIncidentList)).toEqual({ status: 'error', message: 'from is after to' });
  });

  it('reports an unreachable server as an error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('failed to fetch'))),
    );
    expect(await fetchJson('/api/incidents', isIncidentList)).toEqual({ status: 'error', message: 'The server cannot be reached.' });
  });

  it('sends ranges as ISO times', () => {
    expect(rangeQuery(0, 1000)).toBe('from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A00%3A01.000Z');
  });
});
