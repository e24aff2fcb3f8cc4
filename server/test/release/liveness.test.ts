// GET /api/live: open to anyone (a container HEALTHCHECK, a load balancer), so it must say whether
// the process is working and nothing else — the same bytes whatever the monitor sees, no cookie, no
// detail — while /api/health stays behind a login. Loopback octet 154 (scripted probes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/app.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { send, startAuthApp, type AuthApp } from '../security/auth-support.ts';

const OCTET = 154;

describe('the liveness route', () => {
  // The secondary stands by (host up, services stopped): the primary is HQ.
  const probes = scriptedProbes({ [`127.${OCTET}.2.10`]: false });
  let a: AuthApp;
  beforeAll(async () => {
    a = await startAuthApp(OCTET, { deps: { runProbe: probes.run } });
    await eventually(() => a.t.app.monitor.current().hq.state === 'primary-active', 10_000, 'the first verdict');
  });
  afterAll(() => a.close());

  async function live() {
    const res = await send(`${a.url}/api/live`);
    return { status: res.status, text: res.text, headers: res.headers };
  }

  it('answers anyone, with a login required everywhere else, {"status":"ok"} and nothing more', async () => {
    expect((await send(`${a.url}/api/health`)).status).toBe(401);
    const res = await live();
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"status":"ok"}');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('says the same while HQ is down: what the monitor sees is for viewers only', async () => {
    const before = await live();
    probes.set(`127.${OCTET}.1.10`, 'silent');
    probes.set(`127.${OCTET}.2.10`, 'silent');
    await eventually(() => a.t.app.monitor.current().hq.state === 'hq-down', 10_000, 'HQ down');
    const during = await live();
    expect(during).toEqual({ ...before, headers: { ...before.headers, date: during.headers.date } });
    // Nothing of the state leaks: no HQ state, node, site, address, count or time.
    expect(during.text).not.toMatch(/hq|127\.|down|primary|round|\d/);
  });

  it('answers 503 {"status":"stalled"} once no round has run for 3 intervals', async () => {
    await a.t.app.monitor.stop();
    a.clock.advance(3 * a.t.app.monitor.config().monitor.interval + 1);
    const res = await live();
    expect(res.status).toBe(503);
    expect(res.text).toBe('{"status":"stalled"}');
  });
});
