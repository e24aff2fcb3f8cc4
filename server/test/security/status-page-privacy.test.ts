// What the status pages must never show, whatever the state: server names, addresses other than
// the one Call Manager users must type, probe details, other sites' user counts, incident notes and
// anything else an operator wrote. The store is seeded with an annotation and a maintenance
// window, the monitor goes through a failover, and every form of every page (HTML, JSON, Atom, the
// index, the live stream) is searched at each step. Loopback octet 157 (scripted probes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/app.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { send, startAuthApp, type AuthApp } from './auth-support.ts';

const OCTET = 157;
const PRIMARY = `127.${OCTET}.1.10`;
const SECONDARY = `127.${OCTET}.2.10`;
const BOSTON_DVS = `127.${OCTET}.3.10`;
const NOTE = 'NOTE-7f3a: paged Kim, root cause is the SAN at rack B4';
const MAINTENANCE = 'MAINT-91c2: firmware on the HQ pair';
/** User counts no page may show (the sites' own ones included: the page never counts users). */
const USER_COUNTS = ['48213', '51977'];
/** What a probe or the monitor's own views would say. */
const PROBE_WORDS = ['4308', 'tcp', 'connection refused', 'timeout after', 'latency', 'probe'];
/** The monitor's reasons name servers and say how things are routed. */
const REASON_WORDS = ['which is', 'runs through', 'routed through', 'HQ primary', 'HQ secondary', 'Boston DVS', 'DVS'];

/** Reads a live stream until its first status event. */
async function firstEvent(url: string): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const reader = res.body!.getReader();
  let text = '';
  while (!/event: status[\s\S]*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  controller.abort();
  return text;
}

describe('what the status pages never show', () => {
  let a: AuthApp;
  const probes = scriptedProbes({ [SECONDARY]: false });
  let incidentId = '';

  /** Every form of every page, as anyone reads them. */
  async function everything(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const path of [
      '/status',
      '/status?q=o',
      '/status/hq',
      '/status/hq.json',
      '/status/hq.atom',
      '/status/boston',
      '/status/boston.json',
      '/status/boston.atom',
    ]) {
      const res = await send(`${a.url}${path}`);
      expect(res.status, path).toBe(200);
      out[path] = res.text;
    }
    out['/status/hq/events'] = await firstEvent(`${a.url}/status/hq/events`);
    out['/status/boston/events'] = await firstEvent(`${a.url}/status/boston/events`);
    return out;
  }

  function expectNothingPrivate(pages: Record<string, string>, allowedAddress: string | null) {
    const forbidden = [
      NOTE,
      'NOTE-7f3a',
      'rack B4',
      MAINTENANCE,
      'MAINT-91c2',
      'firmware',
      ...USER_COUNTS,
      ...PROBE_WORDS,
      ...REASON_WORDS,
      BOSTON_DVS,
    ];
    for (const address of [PRIMARY, SECONDARY]) if (address !== allowedAddress) forbidden.push(address);
    if (incidentId) forbidden.push(incidentId);
    for (const [path, text] of Object.entries(pages)) {
      for (const word of forbidden) expect(text.includes(word), `${path} shows "${word}"`).toBe(false);
    }
  }

  async function roundsUntil(state: string) {
    for (let i = 0; i < 10 && a.t.app.monitor.current().hq.state !== state; i++) await a.t.app.monitor.runRound();
    expect(a.t.app.monitor.current().hq.state).toBe(state);
  }

  beforeAll(async () => {
    a = await startAuthApp(OCTET, {
      config: {
        statusPage: { public: true, helpdesk: '+1 555 0100' },
        sites: [
          { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 48213 },
          { id: 'boston', name: 'Boston', users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['dvs-boston', 'hq'], userCount: 51977 },
        ],
      },
      deps: { runProbe: probes.run },
    });
    await a.t.app.monitor.stop();
    await roundsUntil('primary-active');
    const now = Date.now();
    await a.store.maintenance.add({ id: 'mw-1', fromMs: now - 60_000, toMs: now + 3_600_000, reason: MAINTENANCE, createdAtMs: now });
  });
  afterAll(() => a.close());

  it('while the primary is HQ: only the primary’s address, the one Call Manager users type', async () => {
    const pages = await everything();
    expect(pages['/status/hq']).toContain(PRIMARY);
    expectNothingPrivate(pages, PRIMARY);
  });

  it('during a failover with an incident note: only the address users will need, nothing of the note', async () => {
    probes.set(PRIMARY, false);
    await roundsUntil('failing-over');
    incidentId = a.t.app.monitor.current().incident!.id;
    expect(await a.store.annotate(incidentId, { text: NOTE }, new Date().toISOString())).not.toBeNull();
    const pages = await everything();
    expect(pages['/status/hq']).toContain('unavailable');
    expect(pages['/status/hq']).toContain(SECONDARY);
    expectNothingPrivate(pages, SECONDARY);
  });

  it('once the secondary is HQ, with the failover in the history: only the secondary’s address', async () => {
    probes.set(SECONDARY, true);
    await roundsUntil('secondary-active');
    // The history is read again once the impact changed: wait for the episode to show.
    const json = await eventually(async () => {
      const doc = (await send(`${a.url}/status/hq.json`)).json<{ history: unknown[] }>();
      return doc.history.length > 0 && doc;
    }, 10_000);
    expect(json.history).toHaveLength(1);
    const pages = await everything();
    expect(pages['/status/hq.atom']).toContain('<entry>');
    expect(pages['/status/hq']).toContain(SECONDARY);
    expectNothingPrivate(pages, SECONDARY);
  });
});
