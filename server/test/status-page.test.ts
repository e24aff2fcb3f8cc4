/**
 * The status pages for users over real HTTP: the words of a failover with its expected end, the
 * address to type once the secondary is HQ, cache validators that hold while nothing a page says
 * changes, gzip, the live stream, the configured words, and the size of every page at the largest
 * topology. Loopback octet 157 (scripted probes: nothing is probed).
 */
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STATUS_WORDS, validateConfig, type HqwatchConfig, type SiteStatus } from '@hqwatch/shared';
import { siteMain } from '../src/status/render-site.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { send } from './security/auth-support.ts';

const OCTET = 157;
const MIN = 60_000;
const KB30 = 30 * 1024;

/** A stream of server-sent events: each `status` event's data as it comes. */
async function openEvents(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body!.getReader();
  let buffer = '';
  const events: string[] = [];
  return {
    status: res.status,
    /** The next status event whose data matches `test`. */
    async next(test: (data: string) => boolean): Promise<string> {
      for (;;) {
        const found = events.findIndex(test);
        if (found >= 0) return events.splice(0, found + 1).pop()!;
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += Buffer.from(value).toString();
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.startsWith('event: status')) continue;
          events.push(
            block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n'),
          );
        }
      }
    },
    close: () => controller.abort(),
  };
}

describe('a site’s status page through a failover', () => {
  let t: TestApp;
  const config = testConfig(OCTET, { statusPage: { timeZone: 'UTC', helpdesk: '+1 555 0100' } });
  const { primary, secondary } = config.headquarters;
  const probes = scriptedProbes({ [secondary.address]: false });
  const rounds = async (state: string) => {
    for (let i = 0; i < 10 && t.app.monitor.current().hq.state !== state; i++) await t.app.monitor.runRound();
    expect(t.app.monitor.current().hq.state).toBe(state);
  };

  beforeAll(async () => {
    // Four past failovers of 6.5 to 9 minutes: "usually 6–9 min".
    t = await startTestApp(config, {
      runProbe: probes.run,
      windowHistory: { failover: [6.5 * MIN, 7 * MIN, 8 * MIN, 9 * MIN], failback: [] },
    });
    await t.app.monitor.stop();
    await rounds('primary-active');
  });
  afterAll(() => t.close());

  it('says everything works while the primary is HQ, with nothing to do', async () => {
    const page = await send(`${t.url}/status/hq`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Everything works at Headquarters.');
    expect(page.text).toContain('Nothing: everything works as usual.');
    expect(page.text).toContain('<a href="tel:+15550100">+1 555 0100</a>');
  });

  it('during a failover: each loss in plain words, until about the usual end, and the address users will need', async () => {
    const live = await openEvents(`${t.url}/status/hq/events`);
    expect(live.status).toBe(200);
    await live.next((d) => d.includes('Everything works'));
    probes.set(primary.address, false);
    await rounds('failing-over');
    const window = t.app.monitor.current().hq.window!;
    const end = new Date(Date.parse(window.startedAt) + 9 * MIN).toISOString().slice(11, 16);
    const doc = (await send(`${t.url}/status/hq.json`)).json<SiteStatus & { changedAt: string }>();
    const line = (service: string) => doc.services.find((l) => l.service === service)!;
    expect(doc.overall).toBe('disrupted');
    expect(line('callManager').text).toBe(`phone and video calls unavailable until about ${end} (usually 6–9 min)`);
    expect(line('voicemail').text).toBe(`unavailable until about ${end} (usually 6–9 min)`);
    expect(line('otherOffices').status).toBe('unavailable');
    expect(line('instantMessages')).toMatchObject({ status: 'working', text: 'working' });
    expect(doc.situation).toMatchObject({ kind: 'failover', estimate: { basis: 'history', lowMs: 6 * MIN, highMs: 9 * MIN } });
    expect(doc.actions).toContainEqual({
      kind: 'call-manager-address-next',
      address: secondary.address,
      text: `Once the switch-over is done, log in to Call Manager with server address ${secondary.address}.`,
    });
    // The open page hears of it by itself.
    const pushed = await live.next((d) => d.includes('unavailable'));
    expect(pushed).toContain(`until about ${end} (usually 6–9 min)`);
    live.close();
  });

  it('keeps the same validator while the window runs and nothing the page says changes; 304 for it', async () => {
    const first = await send(`${t.url}/status/hq`);
    const tag = first.headers.etag as string;
    expect(first.headers['cache-control']).toBe('private, max-age=5');
    await t.app.monitor.runRound();
    await t.app.monitor.runRound();
    const again = await send(`${t.url}/status/hq`);
    expect(again.headers.etag).toBe(tag);
    const revalidated = await send(`${t.url}/status/hq`, { headers: { 'if-none-match': tag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    for (const path of ['/status/hq.json', '/status/hq.atom', '/status']) {
      const r = await send(`${t.url}${path}`);
      expect((await send(`${t.url}${path}`, { headers: { 'if-none-match': r.headers.etag as string } })).status, path).toBe(304);
    }
  });

  it('sends the page gzipped when asked, with its own validator', async () => {
    const res = await fetch(`${t.url}/status/hq`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('etag')).toMatch(/-gzip"$/);
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
    const plain = await send(`${t.url}/status/hq`);
    expect(await res.text()).toBe(plain.text);
  });

  it('once the secondary controls the system: the address to type, with a copy target, and the security headers', async () => {
    probes.set(secondary.address, true);
    await rounds('secondary-active');
    const page = await send(`${t.url}/status/hq`);
    expect(page.text).toContain(`When you log in to Call Manager, enter server address <code data-copy>${secondary.address}</code>.`);
    expect(page.text).toContain('The backup server runs the phone system.');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    // The script the page loads is served, under the same CSP, and cached for good.
    const src = /<script src="([^"]+)"/.exec(page.text)![1]!;
    const script = await send(`${t.url}${src}`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toMatch(/immutable/);
    // Without JavaScript the page reloads itself.
    expect(page.text).toContain('<noscript><meta http-equiv="refresh" content="30"></noscript>');
  });

  it('finds sites by a plain GET form', async () => {
    const found = await send(`${t.url}/status?q=bos`);
    expect(found.text).toContain('<form method="get" action="/status" role="search">');
    expect(found.text).toContain('href="/status/boston"');
    expect(found.text).not.toContain('href="/status/hq"');
    const none = await send(`${t.url}/status?q=${encodeURIComponent('<zz>')}`);
    expect(none.text).toContain('No site matches “&lt;zz&gt;”.');
  });
});

describe('words configured per installation', () => {
  it('are validated with their path and a clear message', () => {
    const result = validateConfig({
      ...testConfigDoc(),
      statusPage: {
        language: 'de',
        timeZone: 'Mond/Basis',
        words: { actions: { secondaryAddress: 'Neue Adresse!' }, until: 'bis {zeit}', tittle: 'x' },
      },
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        'statusPage.timeZone: "Mond/Basis" is not a time zone (e.g. Europe/Berlin, America/New_York, UTC)',
        'statusPage.words.actions.secondaryAddress: must contain {address}, or users are not told it',
        'statusPage.words.until: {zeit} is not a placeholder here (use {time}, {estimate})',
        'statusPage.words.until: must contain {time}, or users are not told it',
        'statusPage.words: Unrecognized key: "tittle"',
      ]),
    );
  });

  it('replace the vendor’s defaults on the page, in the configured language', async () => {
    const config = testConfig(OCTET, {
      statusPage: {
        public: true,
        language: 'de',
        company: 'Beispiel AG',
        words: {
          title: 'Telefonstatus',
          services: { voicemail: 'Sprachbox' },
          states: { working: 'funktioniert' },
          headlines: { ok: 'Alles funktioniert in {site}.' },
        },
      },
    });
    const t = await startTestApp(config, { runProbe: scriptedProbes({ [config.headquarters.secondary.address]: false }).run });
    try {
      await t.app.monitor.stop();
      for (let i = 0; i < 6 && t.app.monitor.current().hq.state !== 'primary-active'; i++) await t.app.monitor.runRound();
      const page = await send(`${t.url}/status/boston`);
      expect(page.text).toContain('<html lang="de">');
      expect(page.text).toContain('Telefonstatus · Beispiel AG');
      expect(page.text).toContain('<b>Sprachbox</b><span class="st">funktioniert</span>');
      expect(page.text).toContain('Alles funktioniert in Boston.');
    } finally {
      await t.close();
    }
  });
});

function testConfigDoc(): Record<string, unknown> {
  return {
    headquarters: {
      primary: { name: 'HQ primary', address: '10.0.0.1', probes: [{ kind: 'icmp' }] },
      secondary: { name: 'HQ secondary', address: '10.0.0.2', probes: [{ kind: 'icmp' }] },
    },
    sites: [{ id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq' }],
  };
}

/** The largest topology hqwatch is sized for: 20 distributed servers and 500 sites, with long names. */
function largestConfig(): HqwatchConfig {
  const servers = Array.from({ length: 20 }, (_, i) => ({
    id: `dvs-${i + 1}`,
    name: `Distributed server ${i + 1}`,
    address: `127.${OCTET}.4.${i + 1}`,
    drs: i % 2 === 0,
    probes: [{ kind: 'tcp', port: 4308 }],
  }));
  const sites = Array.from({ length: 500 }, (_, i) => {
    const home = i % 5 === 0 ? 'hq' : `dvs-${(i % 20) + 1}`;
    return {
      id: `site-${String(i + 1).padStart(3, '0')}`,
      name: `Branch office ${i + 1} — ${'Northampton'.slice(0, 5 + (i % 7))}`,
      users: home,
      voicemail: i % 3 === 0 ? 'hq' : home,
      drs: i % 4 === 0 ? ['hq'] : [`dvs-${(i % 20) - ((i % 20) % 2) + 1}`, 'hq'],
      userCount: 10 + (i % 90),
    };
  });
  const doc = {
    ...testConfigDoc(),
    headquarters: {
      primary: { name: 'HQ primary', address: `127.${OCTET}.1.10`, probes: [{ kind: 'tcp', port: 4308 }] },
      secondary: { name: 'HQ secondary', address: `127.${OCTET}.2.10`, probes: [{ kind: 'tcp', port: 4308 }] },
    },
    servers,
    sites,
    drs: { enabled: true },
    auth: { anonymous: 'viewer' },
    monitor: { interval: '200ms', timeout: '150ms' },
  };
  const result = validateConfig(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe('page size at the largest topology (500 sites, 20 distributed servers)', () => {
  let t: TestApp;
  const config = largestConfig();
  beforeAll(async () => {
    const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
    t = await startTestApp(config, { runProbe: probes.run });
    await t.app.monitor.stop();
    for (let i = 0; i < 6 && t.app.monitor.current().hq.state !== 'primary-active'; i++) await t.app.monitor.runRound();
    // During a failover every line says the most.
    probes.set(config.headquarters.primary.address, false);
    for (let i = 0; i < 6 && t.app.monitor.current().hq.state !== 'failing-over'; i++) await t.app.monitor.runRound();
    expect(t.app.monitor.current().hq.state).toBe('failing-over');
  });
  afterAll(() => t.close());

  it('keeps the index, a site page and its feeds under 30 KB each, before any compression', async () => {
    for (const path of [
      '/status',
      '/status?page=3',
      '/status?q=Branch',
      '/status/site-001',
      '/status/site-500',
      '/status/site-001.json',
      '/status/site-001.atom',
    ]) {
      const res = await send(`${t.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(Buffer.byteLength(res.text), path).toBeLessThan(KB30);
    }
    const index = await send(`${t.url}/status`);
    expect(index.text).toContain('1 / 3');
  });

  it('keeps a site page under 30 KB with the longest history it shows (10 episodes of every service)', async () => {
    const doc = (await send(`${t.url}/status/site-001.json`)).json<SiteStatus>();
    const day = 86_400_000;
    const episodes = Array.from({ length: 10 }, (_, i) => ({
      from: Date.now() - (i + 1) * 0.6 * day,
      to: Date.now() - (i + 1) * 0.6 * day + 17 * MIN,
      services: ['callManager', 'voicemail', 'otherOffices', 'settings', 'accountCodes', 'workgroups', 'instantMessages'] as const,
    })).map((e) => ({ ...e, services: [...e.services] }));
    const main = siteMain(doc, { episodes, changes: [] }, DEFAULT_STATUS_WORDS, config.statusPage);
    const page = await send(`${t.url}/status/site-001`);
    expect(Buffer.byteLength(page.text) + Buffer.byteLength(main)).toBeLessThan(KB30);
  });

  it('gzips the largest page to a few KB', async () => {
    const body = await new Promise<Buffer>((resolve, reject) => {
      get(`${t.url}/status`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      }).on('error', reject);
    });
    expect(body.length).toBeLessThan(8 * 1024);
    expect(gunzipSync(body).toString()).toContain('Branch office 1 ');
  });
});
