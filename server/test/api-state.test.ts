/**
 * `GET /api/state`: the full REST shape, one body per state, compressed as the client accepts,
 * with an ETag. Loopback octet 34.
 */
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, renderReason, SERVICE_KEYS, type LiveState } from '@hqwatch/shared';
import { createStateBodies } from '../src/api/state-bodies.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET that leaves the body as sent (fetch would decompress it). */
function raw(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const decoded = (r: Raw) =>
  JSON.parse(
    (r.headers['content-encoding'] === 'br'
      ? brotliDecompressSync(r.body)
      : r.headers['content-encoding'] === 'gzip'
        ? gunzipSync(r.body)
        : r.body
    ).toString(),
  ) as LiveState;

describe('GET /api/state', () => {
  let t: TestApp;
  const config = testConfig(34);
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
  beforeAll(async () => {
    t = await startTestApp(config, { runProbe: probes.run });
    await t.app.monitor.stop();
    for (let i = 0; i < 4 && t.app.monitor.current().hq.state !== 'primary-active'; i++) await t.app.monitor.runRound();
    probes.set(config.headquarters.primary.address, false);
    for (let i = 0; i < 4 && t.app.monitor.current().hq.state !== 'failing-over'; i++) await t.app.monitor.runRound();
  });
  afterAll(() => t.close());

  it('keeps the full REST shape: reasons in words beside their codes, the contract version', async () => {
    const state = decoded(await raw(`${t.url}/api/state`));
    expect(state.contractVersion).toBe(CONTRACT_VERSION);
    expect(state.hq.state).toBe('failing-over');
    for (const site of state.sites) {
      expect(site.callManagerAddress).toBeNull();
      for (const key of SERVICE_KEYS) {
        const s = site.services[key];
        expect(s).toMatchObject({
          status: expect.any(String),
          reason: expect.any(String),
          reasonCode: expect.any(String),
          params: expect.any(Array),
        });
        expect(renderReason(s.reasonCode!, s.params!, { site: site.name, service: key })).toBe(s.reason);
      }
    }
    expect(state.sites[0]!.services.telephony.reason).toBe(
      'Call Manager telephony for Headquarters runs through HQ, which is failing over to HQ secondary',
    );
  });

  it.each([
    ['br', 'br'],
    ['gzip, deflate', 'gzip'],
    ['gzip;q=0.5, br;q=0.9', 'br'],
    ['identity', undefined],
    ['', undefined],
  ])('answers Accept-Encoding "%s" with %s, the same state', async (accept, coding) => {
    const plain = await raw(`${t.url}/api/state`, { 'accept-encoding': 'identity' });
    const res = await raw(`${t.url}/api/state`, { 'accept-encoding': accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding);
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(decoded(res)).toEqual(JSON.parse(plain.body.toString()));
    if (coding) expect(res.body.length).toBeLessThan(plain.body.length / 4);
  });

  it('says 304 Not Modified to a client that has this state, and 200 with a new ETag once it changes', async () => {
    const first = await raw(`${t.url}/api/state`, { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+-br"$/);
    // Revalidated each time; kept by the browser only, as what it shows depends on who asks.
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await raw(`${t.url}/api/state`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The same state in another coding is the same state.
    expect((await raw(`${t.url}/api/state`, { 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(304);
    await t.app.monitor.runRound();
    const changed = await raw(`${t.url}/api/state`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });
});

describe('the state bodies', () => {
  it('serialise each state once and compress it once per coding, whatever the number of requests', async () => {
    let state = { seq: 1, sites: Array.from({ length: 50 }, (_, i) => ({ id: `site-${i}` })) } as unknown as LiveState;
    const bodies = createStateBodies({ current: () => state, subscribe: () => () => undefined });
    const a = bodies.current();
    expect(bodies.current()).toBe(a);
    const [b1, b2] = await Promise.all([bodies.body(a, 'br'), bodies.body(bodies.current(), 'br')]);
    expect(b1).toBe(b2);
    expect(JSON.parse(brotliDecompressSync(b1).toString())).toEqual(state);
    state = { ...state, seq: 2 };
    const next = bodies.current();
    expect(next).not.toBe(a);
    expect(next.tag).not.toBe(a.tag);
  });
});
