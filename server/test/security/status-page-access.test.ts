// Who may read the status pages, over real HTTP: with `statusPage.public: true` anyone reads
// `/status*` and nothing else opens; without it viewers, kiosk displays (token or cookie) and
// anonymous viewers where the config allows them read it, and nobody else; `statusPage.sites`
// limits the per-site pages (and the index) to its list. Loopback octet 158 (scripted probes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, send, startAuthApp, type AuthApp } from './auth-support.ts';

/** Every kind of status route, for a site that has a page. */
const STATUS_PATHS = ['/status', '/status?q=bos', '/status/boston', '/status/boston.json', '/status/boston.atom'];
/** Routes that stay closed whatever `statusPage.public` says. */
const CLOSED_PATHS = [
  '/api/state',
  '/api/health',
  '/metrics',
  '/api/incidents',
  '/api/availability?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
  '/api/notify',
  '/api/maintenance',
];

/** The first bytes of a server-sent events stream, then closes it. */
async function firstEvent(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (res.status !== 200) return { status: res.status, text: await res.text() };
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('event: status')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  // The whole first event: up to its blank line.
  while (!/event: status[\s\S]*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  controller.abort();
  return { status: res.status, text };
}

describe('status pages with statusPage.public: true and a login required everywhere else', () => {
  let a: AuthApp;
  beforeAll(async () => {
    a = await startAuthApp(158, { config: { statusPage: { public: true } } });
  });
  afterAll(() => a.close());

  it.each(STATUS_PATHS)('anyone reads %s without signing in, cacheable by anyone', async (path) => {
    const res = await send(`${a.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=5');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('streams live updates to anyone', async () => {
    const first = await firstEvent(`${a.url}/status/boston/events`);
    expect(first.status).toBe(200);
    expect(first.text).toContain('<h1>Boston</h1>');
  });

  it.each(CLOSED_PATHS)('%s still needs a login', async (path) => {
    expect((await send(`${a.url}${path}`)).status).toBe(401);
  });

  it('opens neither the dashboard’s socket nor its history', async () => {
    expect(await openSocket(a.url)).toEqual({ refused: 'unauthorized' });
    expect((await send(`${a.url}/api/incidents/some-id`)).status).toBe(401);
  });
});

describe('status pages when a login is required', () => {
  let a: AuthApp;
  let kioskToken: string;
  let kioskCookie: string;
  beforeAll(async () => {
    a = await startAuthApp(158);
    const kiosk = await a.t.app.auth.admin!.addKiosk('Helpdesk screen');
    kioskToken = kiosk.token;
    kioskCookie = (await send(`${a.url}${kiosk.path}`)).cookie()!;
  });
  afterAll(() => a.close());

  it.each(STATUS_PATHS)('refuses %s to anonymous users (401)', async (path) => {
    const res = await send(`${a.url}${path}`);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('Boston');
  });

  it('asks a browser to sign in, on a page that leads back to the status page', async () => {
    const res = await send(`${a.url}/status/boston`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('href="/login?next=%2Fstatus%2Fboston"');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses the live stream to anonymous users', async () => {
    expect((await firstEvent(`${a.url}/status/boston/events`)).status).toBe(401);
  });

  it.each(STATUS_PATHS)('a signed-in viewer reads %s, kept private to their browser', async (path) => {
    const res = await send(`${a.url}${path}`, { headers: { cookie: await a.login('viewer') } });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, max-age=5');
  });

  it.each(STATUS_PATHS)('a kiosk display reads %s with its token or its cookie', async (path) => {
    expect((await send(`${a.url}${path}`, { headers: { authorization: `Bearer ${kioskToken}` } })).status).toBe(200);
    expect((await send(`${a.url}${path}`, { headers: { cookie: kioskCookie } })).status).toBe(200);
  });

  it('a kiosk display’s token opens the live stream', async () => {
    const first = await firstEvent(`${a.url}/status/boston/events`, { authorization: `Bearer ${kioskToken}` });
    expect(first.status).toBe(200);
    expect(first.text).toContain('<h1>Boston</h1>');
  });

  it('a wrong token is refused', async () => {
    expect((await send(`${a.url}/status/boston`, { headers: { authorization: 'Bearer hqk_not-a-real-token' } })).status).toBe(401);
  });
});

describe('statusPage.sites limits the per-site pages', () => {
  let a: AuthApp;
  beforeAll(async () => {
    a = await startAuthApp(158, { config: { statusPage: { public: true, sites: ['boston'] } } });
  });
  afterAll(() => a.close());

  it('serves the listed site in every form', async () => {
    for (const path of ['/status/boston', '/status/boston.json', '/status/boston.atom'])
      expect((await send(`${a.url}${path}`)).status).toBe(200);
  });

  it('answers 404 for a configured site that is not listed, in every form, and for sites that do not exist', async () => {
    for (const path of ['/status/hq', '/status/hq.json', '/status/hq.atom', '/status/hq/events', '/status/nowhere', '/status/nowhere.json'])
      expect((await send(`${a.url}${path}`)).status, path).toBe(404);
  });

  it('lists only the listed sites on the index', async () => {
    const res = await send(`${a.url}/status`);
    expect(res.text).toContain('href="/status/boston"');
    expect(res.text).not.toContain('href="/status/hq"');
    expect(res.text).not.toContain('Headquarters');
  });
});

describe('status pages with anonymous viewers allowed (auth.anonymous: viewer)', () => {
  let a: AuthApp;
  beforeAll(async () => {
    a = await startAuthApp(158, { anonymous: true });
  });
  afterAll(() => a.close());

  it('lets anyone read them, as the rest of the monitor, but keeps them private to each browser', async () => {
    const res = await send(`${a.url}/status/boston`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, max-age=5');
  });
});
