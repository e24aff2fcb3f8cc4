import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, Annotation, AvailabilityReport, IncidentDetail, IncidentList, LiveState } from '@hqwatch/shared';
import { historyRoutes } from '../src/api/history.routes.ts';
import { authenticate } from '../src/auth/authenticate.ts';
import { createCredentials } from '../src/auth/credentials.ts';
import { tokenLockout } from '../src/auth/token-lockout.ts';
import { HttpError } from '../src/http/http-error.ts';
import type { Store } from '../src/store/store.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { createDriver, runFailoverScenario, scenarioConfig, T0, type ScenarioMoments } from './store-scenario.ts';

const config = scenarioConfig();
const TOKEN = config.auth.operatorTokens[0]!;
let store: Store;
let server: Server;
let base: string;
let place: StorePlace;
let m: ScenarioMoments;

const get = (path: string) => fetch(`${base}${path}`);
const annotate = (id: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/incidents/${id}/annotations`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
  });

async function expectError(res: Response, status: number, code: string, field?: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ApiError;
  expect(body.error.code).toBe(code);
  if (field) expect(body.error.field).toBe(field);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  return body;
}

describeStores('the history API', (backend) => {
  beforeAll(async () => {
    place = await backend.place();
    store = await place.open();
    m = await runFailoverScenario(createDriver(store, config, T0));
    const app = new Koa();
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        const known = err instanceof HttpError;
        ctx.status = known ? err.status : 500;
        ctx.body = known
          ? { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } }
          : { error: { code: 'internal', message: 'internal error' } };
      }
    });
    // Anonymous viewers read; the two operator tokens annotate (the app's own authentication, without accounts).
    const credentials = createCredentials({
      sessions: null,
      accounts: null,
      operatorTokens: () => [TOKEN, 'another-operator-token-xyz'],
      anonymous: () => 'viewer',
      // Wrong tokens here test the answer, not the lockout (security/brute-force.test.ts has that).
      lockout: tokenLockout({ maxFailures: 1_000, windowMs: 60_000, lockMs: 1 }),
      now: () => Date.now(),
    });
    app.use(
      authenticate(
        credentials,
        () => [],
        () => [],
      ),
    );
    const router = historyRoutes({ store, getConfig: () => config, now: () => new Date('2026-03-02T12:00:00.000Z') });
    app.use(router.routes()).use(router.allowedMethods());
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    await place.cleanup();
  });

  describe('GET /api/incidents', () => {
    it('lists incidents newest first with their windows and worst impact', async () => {
      const res = await get('/api/incidents?limit=10');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const list = (await res.json()) as IncidentList;
      expect(list).toMatchObject({ total: 1, limit: 10, offset: 0 });
      expect(list.incidents[0]).toMatchObject({
        id: m.incidentId,
        windows: [{ kind: 'failover' }, { kind: 'failback', verdict: 'overrun' }],
      });
      expect(list.incidents[0]!.worstImpact?.telephony).toEqual({ sites: 2, users: 400 });
    });

    it('filters by range', async () => {
      const later = (await (await get(`/api/incidents?from=${encodeURIComponent('2026-03-03T00:00:00Z')}`)).json()) as IncidentList;
      expect(later.total).toBe(0);
    });

    it('names the bad field: dates, ranges, paging, repeated parameters', async () => {
      await expectError(await get('/api/incidents?from=yesterday'), 400, 'bad_request', 'from');
      await expectError(await get('/api/incidents?from=2026-03-02T10:00:00Z&to=2026-03-02T09:00:00Z'), 400, 'bad_request', 'to');
      await expectError(await get('/api/incidents?limit=0'), 400, 'bad_request', 'limit');
      await expectError(await get('/api/incidents?offset=-1'), 400, 'bad_request', 'offset');
      await expectError(await get('/api/incidents?limit=abc'), 400, 'bad_request', 'limit');
      await expectError(await get('/api/incidents?to=2026-03-02T10:00:00Z&to=2026-03-03T10:00:00Z'), 400, 'bad_request', 'to');
    });
  });

  describe('GET /api/incidents/:id', () => {
    it('gives the detail with one ordered timeline', async () => {
      const detail = (await (await get(`/api/incidents/${m.incidentId}`)).json()) as IncidentDetail;
      expect(detail.incident.id).toBe(m.incidentId);
      const times = detail.timeline.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(detail.impact.map((s) => s.siteId).sort()).toEqual(['austin', 'boston', 'hq']);
    });

    it('answers 404 JSON for an unknown incident, on every incident route', async () => {
      for (const path of ['', '/export?format=csv', `/replay?at=${encodeURIComponent(m.failoverStart)}`]) {
        await expectError(await get(`/api/incidents/inc-nope${path}`), 404, 'not_found');
      }
    });
  });

  describe('GET /api/incidents/:id/export', () => {
    it.each([
      ['json', 'application/json', /"format": "hqwatch-incident"/],
      ['csv', 'text/csv', /^at,type,incident_id,/],
      ['md', 'text/markdown', /^# Incident /],
    ])('serves %s as an attachment', async (format, type, content) => {
      const res = await get(`/api/incidents/${m.incidentId}/export?format=${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${m.incidentId}.${format}"`);
      expect(await res.text()).toMatch(content);
    });

    it('refuses an unknown format, naming it', async () => {
      await expectError(await get(`/api/incidents/${m.incidentId}/export?format=pdf`), 400, 'bad_request', 'format');
    });

    it('says the Markdown in the asked time zone with UTC beside, and refuses a zone that does not exist', async () => {
      const res = await get(`/api/incidents/${m.incidentId}/export?format=md&tz=${encodeURIComponent('Europe/Berlin')}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Times are Europe/Berlin (GMT+01:00), with UTC beside.');
      for (const zone of ['Mars/Olympus_Mons', 'CET+99', '', 'x'.repeat(200)]) {
        const body = await expectError(
          await get(`/api/incidents/${m.incidentId}/export?format=md&tz=${encodeURIComponent(zone)}`),
          400,
          'bad_request',
          'tz',
        );
        expect(body.error.message).toMatch(/^tz: unknown time zone ".*": give an IANA zone such as Europe\/Berlin or America\/New_York$/);
      }
      await expectError(await get(`/api/incidents/${m.incidentId}/export?format=md&tz=UTC&tz=Europe/Paris`), 400, 'bad_request', 'tz');
    });

    it('leaves the appendix out with appendix=0, and refuses anything but 0 or 1', async () => {
      const full = await (await get(`/api/incidents/${m.incidentId}/export?format=md`)).text();
      const short = await (await get(`/api/incidents/${m.incidentId}/export?format=md&appendix=0`)).text();
      expect(full).toContain('### Impact per site');
      expect(short).not.toContain('### Impact per site');
      expect(short.length).toBeLessThan(full.length);
      await expectError(await get(`/api/incidents/${m.incidentId}/export?format=md&appendix=maybe`), 400, 'bad_request', 'appendix');
    });
  });

  describe('GET /api/incidents/:id/replay', () => {
    it('gives the live state at that moment', async () => {
      const live = m.captured[1]!;
      const res = await get(`/api/incidents/${m.incidentId}/replay?at=${encodeURIComponent(live.at)}`);
      const state = (await res.json()) as LiveState;
      expect(state.at).toBe(live.at);
      expect(state.hq).toEqual(live.hq);
      expect(state.sites).toEqual(live.sites);
    });

    it('refuses a moment outside the incident or no moment at all, naming at', async () => {
      const body = await expectError(await get(`/api/incidents/${m.incidentId}/replay?at=2026-03-01T00:00:00Z`), 400, 'bad_request', 'at');
      expect(body.error.message).toContain(m.failoverStart);
      await expectError(await get(`/api/incidents/${m.incidentId}/replay`), 400, 'bad_request', 'at');
      await expectError(await get(`/api/incidents/${m.incidentId}/replay?at=noon`), 400, 'bad_request', 'at');
    });
  });

  describe('POST /api/incidents/:id/annotations', () => {
    it('needs an operator token: missing and wrong get the same 401', async () => {
      const body = JSON.stringify({ text: 'hello' });
      const missing = await expectError(await annotate(m.incidentId, body, { authorization: '' }), 401, 'unauthorized');
      const wrong = await expectError(
        await annotate(m.incidentId, body, { authorization: 'Bearer not-the-token-at-all' }),
        401,
        'unauthorized',
      );
      const basic = await expectError(await annotate(m.incidentId, body, { authorization: `Basic ${TOKEN}` }), 401, 'unauthorized');
      expect(wrong).toEqual(missing);
      expect(basic).toEqual(missing);
    });

    it('stores the text exactly as given, SQL-looking or not, at the given moment', async () => {
      const text = "'); DELETE FROM annotations; -- <script>alert('x')</script>";
      const res = await annotate(m.incidentId, JSON.stringify({ text, at: m.failbackStart }));
      expect(res.status).toBe(201);
      const note = (await res.json()) as Annotation;
      expect(note).toMatchObject({ incidentId: m.incidentId, text, at: m.failbackStart, createdAt: '2026-03-02T12:00:00.000Z' });
      const detail = (await (await get(`/api/incidents/${m.incidentId}`)).json()) as IncidentDetail;
      expect(detail.timeline.filter((e) => e.type === 'annotation').map((e) => e.type === 'annotation' && e.text)).toContain(text);
    });

    it('accepts the second configured token', async () => {
      const res = await annotate(m.incidentId, JSON.stringify({ text: 'from the other operator' }), {
        authorization: 'Bearer another-operator-token-xyz',
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as Annotation).at).toBe('2026-03-02T12:00:00.000Z');
    });

    it('refuses a body over 10 KB with 413, declared or streamed', async () => {
      const big = JSON.stringify({ text: 'x'.repeat(11 * 1024) });
      await expectError(await annotate(m.incidentId, big), 413, 'payload_too_large');
      const chunked = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      });
      const res = await fetch(`${base}/api/incidents/${m.incidentId}/annotations`, {
        method: 'POST',
        body: chunked,
        duplex: 'half',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      } as RequestInit);
      await expectError(res, 413, 'payload_too_large');
    });

    it('names what is wrong with the body', async () => {
      await expectError(await annotate(m.incidentId, '{"text": '), 400, 'invalid_json');
      await expectError(await annotate(m.incidentId, JSON.stringify({ text: '' })), 400, 'bad_request', 'text');
      await expectError(await annotate(m.incidentId, JSON.stringify({ text: 'ok', at: 'soon' })), 400, 'bad_request', 'at');
      await expectError(
        await annotate(m.incidentId, JSON.stringify({ text: 'ok' }), { 'content-type': 'text/plain' }),
        415,
        'unsupported_media_type',
      );
    });

    it('answers 404 for an unknown incident once the token is good', async () => {
      await expectError(await annotate('inc-nope', JSON.stringify({ text: 'x' })), 404, 'not_found');
    });
  });

  describe('PATCH /api/incidents/:id/annotations/:annotationId', () => {
    const mark = (id: string, noteId: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${base}/api/incidents/${id}/annotations/${noteId}`, {
        method: 'PATCH',
        body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      });

    it('marks a note as a follow-up and back; the postmortem lists it', async () => {
      const note = (await (await annotate(m.incidentId, JSON.stringify({ text: 'Check the secondary’s disk' }))).json()) as Annotation;
      expect(note.followUp).toBe(false);
      const res = await mark(m.incidentId, note.id, JSON.stringify({ followUp: true }));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: note.id, followUp: true, text: note.text });
      const detail = (await (await get(`/api/incidents/${m.incidentId}`)).json()) as IncidentDetail;
      expect(detail.timeline.find((e) => e.type === 'annotation' && e.id === note.id)).toMatchObject({ followUp: true });
      const md = await (await get(`/api/incidents/${m.incidentId}/export?format=md`)).text();
      expect(md).toMatch(/## Follow-ups\n\n(- \[ \] .*\n)*- \[ \] Check the secondary’s disk — noted at /);
      expect(await (await mark(m.incidentId, note.id, JSON.stringify({ followUp: false }))).json()).toMatchObject({ followUp: false });
    });

    it('takes a follow-up mark with a new note', async () => {
      const res = await annotate(m.incidentId, JSON.stringify({ text: 'Order a spare PSU', followUp: true }));
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ followUp: true });
      await expectError(await annotate(m.incidentId, JSON.stringify({ text: 'x', followUp: 'yes' })), 400, 'bad_request', 'followUp');
    });

    it('needs an operator, a boolean, JSON, and a note of that incident', async () => {
      const note = (await (await annotate(m.incidentId, JSON.stringify({ text: 'to mark' }))).json()) as Annotation;
      await expectError(await mark(m.incidentId, note.id, JSON.stringify({ followUp: true }), { authorization: '' }), 401, 'unauthorized');
      await expectError(await mark(m.incidentId, note.id, JSON.stringify({ followUp: 'yes' })), 400, 'bad_request', 'followUp');
      await expectError(await mark(m.incidentId, note.id, JSON.stringify({ followUp: true, text: 'rewritten' })), 400, 'bad_request');
      await expectError(await mark(m.incidentId, note.id, '{'), 400, 'invalid_json');
      await expectError(
        await mark(m.incidentId, note.id, JSON.stringify({ followUp: true }), { 'content-type': 'text/plain' }),
        415,
        'unsupported_media_type',
      );
      await expectError(await mark(m.incidentId, 'no-such-note', JSON.stringify({ followUp: true })), 404, 'not_found');
      await expectError(await mark('inc-nope', note.id, JSON.stringify({ followUp: true })), 404, 'not_found');
    });
  });

  describe('GET /api/availability', () => {
    it('gives per site and service the fraction of monitored time ok', async () => {
      const res = await get(`/api/availability?from=${encodeURIComponent(T0)}&to=${encodeURIComponent(m.closedAt)}`);
      expect(res.status).toBe(200);
      const report = (await res.json()) as AvailabilityReport;
      expect(report.sites.map((s) => s.siteId)).toEqual(['hq', 'boston', 'austin']);
      expect(report.sites[0]!.services.telephony.ok).toBeGreaterThan(0);
      expect(report.sites[0]!.services.telephony.ok).toBeLessThan(1);
      expect(report.gaps).toEqual([{ from: T0, to: new Date(Date.parse(T0) + 2_000).toISOString() }]);
    });

    it('defaults to the last 30 days and names bad fields', async () => {
      const report = (await (await get('/api/availability')).json()) as AvailabilityReport;
      expect(report).toMatchObject({ from: '2026-01-31T12:00:00.000Z', to: '2026-03-02T12:00:00.000Z' });
      await expectError(await get('/api/availability?to=31/12/2026'), 400, 'bad_request', 'to');
      await expectError(
        await get(`/api/availability?from=${encodeURIComponent(m.closedAt)}&to=${encodeURIComponent(T0)}`),
        400,
        'bad_request',
        'to',
      );
    });
  });
});
