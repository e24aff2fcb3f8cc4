/**
 * Alerts from the real monitor watching a real lab, to a real webhook receiver (loopback octets 32
 * and 33): the lab's failover-failback scenario makes trigger → updates → resolve in one thread; a
 * distributed server lost during the window is folded into the incident's update; a maintenance
 * window scheduled over REST mutes the drill and still records its resolve; the state of alerting
 * is in /api/notify, /api/health and /metrics, without a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityReport, IncidentList, MessageView, NotifyOverview } from '@hqwatch/shared';
import { resolveScenario, ScenarioRunner } from '../src/lab/index.ts';
import { verifySignature } from '../src/notify/signature.ts';
import { eventually } from './support/app.ts';
import { startNotifyApp, type NotifyApp } from './support/notify-app.ts';
import { startHttpReceiver, type HttpReceiver } from './support/receivers.ts';

const SECRET = 'demo-secret-of-16+chars';

interface Body {
  event: string;
  status: string;
  dedupKey: string;
  incidentId: string | null;
  hqState: string;
  title: string;
  summary: string;
  details: string[];
  callManagerAddress: string | null;
}

const bodies = (receiver: HttpReceiver) => receiver.received.map((r) => r.json as Body);

describe("the lab's failover-failback scenario", () => {
  let receiver: HttpReceiver;
  let t: NotifyApp;

  beforeAll(async () => {
    receiver = await startHttpReceiver('127.0.32.250');
    t = await startNotifyApp(
      32,
      {
        http: { publicUrl: 'https://noc.example.com/hqwatch' },
        notify: {
          channels: [{ id: 'ops', kind: 'webhook', url: '${ENV:OPS_HOOK}', secret: '${ENV:OPS_SECRET}' }],
          routes: [{ channels: ['ops'] }],
        },
      },
      {},
      { OPS_HOOK: `${receiver.url}/hook`, OPS_SECRET: SECRET },
    );
  });

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('makes one thread: trigger, updates, one resolve, each signed', async () => {
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 15_000, 'primary-active');
    const loaded = await resolveScenario('failover-failback', t.lab.topology);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const runner = new ScenarioRunner(t.lab, { ...loaded.scenario, loop: false }, { speed: 150 });
    runner.start();
    try {
      await eventually(() => bodies(receiver).some((b) => b.status === 'resolve'), 40_000, 'the resolve');
    } finally {
      runner.stop();
    }
    const said = bodies(receiver).map((b) => `${b.status} ${b.event}`);
    expect(said[0]).toBe('trigger window.opened');
    expect(said).toContain('update window.closed');
    expect(said.at(-1)).toBe('resolve incident.closed');
    expect(said.filter((s) => s.startsWith('trigger'))).toHaveLength(1);
    expect(new Set(bodies(receiver).map((b) => b.dedupKey)).size).toBe(1);
    for (const r of receiver.received)
      expect(verifySignature(r.body, String(r.headers['x-hqwatch-signature']), SECRET, Date.now())).toBe(true);

    const [trigger] = bodies(receiver);
    expect(trigger!.title).toBe('Failover in progress');
    expect(trigger!.details.some((line) => /^Call Manager telephony & video lost at \d+ sites? \(\d[\d,]* users\)$/.test(line))).toBe(true);
    const closed = bodies(receiver).find((b) => b.event === 'window.closed' && b.hqState === 'secondary-active')!;
    const secondary = t.config.headquarters.secondary.address;
    expect(closed.callManagerAddress).toBe(secondary);
    expect(closed.details).toContain(`Call Manager users logging in now must specify the IP address of the secondary server: ${secondary}`);
    expect((receiver.received[0]!.json as { url: string }).url).toBe(`https://noc.example.com/hqwatch/incidents/${trigger!.incidentId}`);
  });

  it('says how alerting stands in /api/notify, /api/health and /metrics, without a secret', async () => {
    await eventually(async () => ((await (await t.api('/api/notify')).json()) as NotifyOverview).pending === 0, 5_000, 'nothing pending');
    const overview = (await (await t.api('/api/notify')).json()) as NotifyOverview;
    expect(overview.channels).toEqual([
      expect.objectContaining({
        id: 'ops',
        kind: 'webhook',
        target: '${ENV:OPS_HOOK}',
        pending: 0,
        undeliverable: 0,
        counters: expect.objectContaining({ failed: 0 }),
      }),
    ]);
    expect(overview.channels[0]!.counters.sent).toBe(receiver.received.length);
    const health = (await (await t.api('/api/health')).json()) as { notify: { undeliverable: number; pending: number } };
    expect(health.notify).toMatchObject({ pending: 0, undeliverable: 0 });
    const metrics = await (await t.api('/metrics')).text();
    expect(metrics).toContain(`hqwatch_notifications_sent_total{channel="ops",kind="webhook"} ${receiver.received.length}`);
    expect(metrics).toContain('hqwatch_notifications_undeliverable{channel="ops",kind="webhook"} 0');
    expect(metrics).toContain('# TYPE hqwatch_notification_delivery_seconds summary');
    expect(metrics).toContain(`hqwatch_notification_delivery_seconds_count{channel="ops",kind="webhook"} ${receiver.received.length}`);
    expect(metrics).toContain('hqwatch_round_duration_seconds ');
    expect(metrics).toMatch(/# HELP hqwatch_round_duration_ms .*deprecated: use hqwatch_round_duration_seconds/);
    const messages = (await (await t.api('/api/notify/messages?limit=100')).json()) as { messages: MessageView[] };
    expect(messages.messages.length).toBe(receiver.received.length);
    expect(messages.messages.every((m) => m.deliveries.every((d) => d.state === 'sent'))).toBe(true);
    for (const text of [JSON.stringify(overview), JSON.stringify(health), metrics, JSON.stringify(messages)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(receiver.url);
    }
  });

  it('a test send is for operators, and says how it went', async () => {
    const before = receiver.received.length;
    const anonymous = await t.api('/api/notify/test', { method: 'POST', body: JSON.stringify({ channel: 'ops' }) });
    expect(anonymous.status).toBe(401);
    const sent = await t.api('/api/notify/test', { method: 'POST', body: JSON.stringify({ channel: 'ops' }), operator: true });
    expect(await sent.json()).toEqual({ ok: true, channel: 'ops' });
    await receiver.waitFor(before + 1);
    expect((receiver.received[before]!.json as Body).event).toBe('test');
    const unknown = await t.api('/api/notify/test', { method: 'POST', body: JSON.stringify({ channel: 'nope' }), operator: true });
    expect(unknown.status).toBe(404);
    await receiver.down();
    const failed = await t.api('/api/notify/test', { method: 'POST', body: JSON.stringify({ channel: 'ops' }), operator: true });
    expect(failed.status).toBe(502);
    const body = (await failed.json()) as { ok: boolean; error: string };
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/ECONNREFUSED/);
    expect(body.error).not.toContain(SECRET);
    await receiver.up();
  });
});

describe('a distributed server lost during the window, and a planned drill', () => {
  let receiver: HttpReceiver;
  let t: NotifyApp;

  beforeAll(async () => {
    receiver = await startHttpReceiver('127.0.33.250');
    t = await startNotifyApp(33, {
      notify: { channels: [{ id: 'ops', kind: 'webhook', url: `${receiver.url}/hook`, secret: SECRET }], routes: [{ channels: ['ops'] }] },
    });
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 15_000, 'primary-active');
  });

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const dvs = () => t.lab.topology.nodes.find((n) => n.role === 'distributed')!;

  it('is folded into the incident: no page of its own until the incident is over', async () => {
    await t.lab.setState('primary', 'stopped');
    await receiver.waitFor(1);
    await t.lab.setState(dvs().id, 'down');
    await eventually(() => bodies(receiver).some((b) => b.event === 'server.down'), 10_000, 'the folded update');
    const folded = bodies(receiver).find((b) => b.event === 'server.down')!;
    expect(folded.status).toBe('update');
    expect(folded.dedupKey).toBe(bodies(receiver)[0]!.dedupKey);
    await t.lab.setState(dvs().id, 'serving');
    await t.lab.setState('primary', 'serving');
    await eventually(() => bodies(receiver).some((b) => b.status === 'resolve'), 15_000, 'the resolve');
    expect(bodies(receiver).filter((b) => b.status === 'trigger')).toHaveLength(1);
  });

  it('mutes a drill inside a maintenance window and records its resolve; the incident is planned', async () => {
    const before = receiver.received.length;
    const anonymous = await t.api('/api/maintenance', { method: 'POST', body: JSON.stringify({ duration: '10m', reason: 'drill' }) });
    expect(anonymous.status).toBe(401);
    const created = await t.api('/api/maintenance', {
      method: 'POST',
      body: JSON.stringify({ duration: '10m', reason: 'quarterly drill' }),
      operator: true,
    });
    expect(created.status).toBe(201);
    const window = (await created.json()) as { id: string; reason: string };
    expect(window.reason).toBe('quarterly drill');
    const list = (await (await t.api('/api/maintenance')).json()) as { active: { id: string } | null };
    expect(list.active?.id).toBe(window.id);

    await t.lab.setState('primary', 'stopped');
    await eventually(() => t.app.monitor.current().hq.window !== null, 10_000, 'the window');
    const incidentId = t.app.monitor.current().incident!.id;
    await t.lab.setState('primary', 'serving');
    await eventually(() => t.app.monitor.current().incident === null, 15_000, 'the incident closed');
    const recorded = async () =>
      ((await (await t.api(`/api/notify/messages?incident=${incidentId}`)).json()) as { messages: MessageView[] }).messages;
    const messages = await eventually(
      async () => {
        const list = await recorded();
        return list.some((m) => m.message.status === 'resolve') && list;
      },
      5_000,
      'the muted resolve recorded',
    );
    expect(messages.map((m) => m.message.muted)).toEqual(messages.map(() => 'maintenance'));
    expect(messages.every((m) => m.deliveries.length === 0 && m.message.planned === 'quarterly drill')).toBe(true);
    expect(receiver.received.length).toBe(before);

    // Marked planned in history, exports and availability.
    const incidents = (await (await t.api('/api/incidents')).json()) as IncidentList;
    const drill = incidents.incidents.find((i) => i.id === incidentId)!;
    expect(drill.planned).toBe('quarterly drill');
    expect(drill.windows.every((w) => w.planned === 'quarterly drill')).toBe(true);
    expect(incidents.incidents.filter((i) => i.id !== incidentId).every((i) => i.planned === undefined)).toBe(true);
    const md = await (await t.api(`/api/incidents/${incidentId}/export?format=md`)).text();
    expect(md).toContain('## Summary\n\nPlanned: it started inside the maintenance window “quarterly drill”, whose alerts were muted.');
    expect(md).toMatch(/\| (Failover|Failback|HQ outage), planned \(quarterly drill\) \|/);
    const csv = await (await t.api(`/api/incidents/${incidentId}/export?format=csv`)).text();
    expect(csv.split('\r\n')[0]!.endsWith(',planned,switch')).toBe(true);
    expect(csv).toMatch(/\r\n[^\r\n]*,window-opened,[^\r\n]*,quarterly drill,\r\n/);
    const since = encodeURIComponent(new Date(Date.now() - 600_000).toISOString());
    const counted = (await (await t.api(`/api/availability?from=${since}`)).json()) as AvailabilityReport;
    const left = (await (await t.api(`/api/availability?from=${since}&planned=exclude`)).json()) as AvailabilityReport;
    expect(counted.planned).toBe('include');
    expect(left.planned).toBe('exclude');
    expect(left.plannedMs).toBeGreaterThan(0);
    expect(left.monitoredMs).toBeLessThan(counted.monitoredMs);
    const hq = (r: AvailabilityReport) => r.sites.find((x) => x.siteId === 'hq')!.services.telephony.downMs;
    expect(hq(left)).toBeLessThan(hq(counted));

    const ended = await t.api(`/api/maintenance/${window.id}`, { method: 'DELETE', operator: true });
    expect(((await ended.json()) as { removed: boolean }).removed).toBe(false);
    expect(((await (await t.api('/api/maintenance')).json()) as { active: unknown }).active).toBeNull();
  });
});
