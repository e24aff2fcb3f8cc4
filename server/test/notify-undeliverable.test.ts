/**
 * What an operator sees when alerts do not get through, from the real app watching a real lab
 * (loopback octet 53) with a real webhook receiver: a receiver that refuses a delivery for good
 * (400) leaves it undeliverable in `/api/health`, `/api/notify` and `/metrics` while the others go
 * through after their retries; a thread whose channel was taken out of the config still gets its
 * resolve recorded, as undeliverable, never silently dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView, NotifyOverview } from '@hqwatch/shared';
import { eventually } from './support/app.ts';
import { startNotifyApp, type NotifyApp } from './support/notify-app.ts';
import { startHttpReceiver, type HttpReceiver } from './support/receivers.ts';

const SECRET = 'undeliverable-secret-16+';
const LABELS = '{channel="ops",kind="webhook"}';

interface Health {
  notify: { pending: number; undeliverable: number; problem: string | null };
}

/** A sample of `/metrics` by its name and labels. */
function sample(metrics: string, name: string, labels: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  if (!line) throw new Error(`no ${name}${labels} in /metrics`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('alerts that do not get through', () => {
  let receiver: HttpReceiver;
  let t: NotifyApp;

  const health = async () => ((await (await t.api('/api/health')).json()) as Health).notify;
  const metrics = async () => (await t.api('/metrics')).text();
  const statuses = () => receiver.received.map((r) => (r.json as { status: string }).status);

  beforeAll(async () => {
    receiver = await startHttpReceiver('127.0.53.250');
    t = await startNotifyApp(53, {
      notify: {
        channels: [{ id: 'ops', kind: 'webhook', url: `${receiver.url}/hook`, secret: SECRET }],
        routes: [{ channels: ['ops'] }],
        delivery: { firstRetry: '100ms', maxRetry: '300ms' },
      },
    });
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 15_000, 'primary-active');
  });

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('a delivery refused with 400 is undeliverable in /api/health and /metrics; the next ones wait, retry and go', async () => {
    // The trigger is refused for good; what follows is answered 503 (retried) until the receiver is well.
    receiver.answer({ status: 400, body: 'invalid payload' }, { status: 503, body: 'busy' });
    await t.lab.setState('primary', 'stopped');
    await receiver.waitFor(1);
    expect(statuses()[0]).toBe('trigger');
    await eventually(async () => (await health()).undeliverable === 1, 5_000, 'the trigger undeliverable');
    expect(await health()).toMatchObject({ undeliverable: 1, problem: '1 alert delivery undeliverable' });

    await t.lab.setState('primary', 'serving');
    // The resolve (and any update before it) is tried, answered 503, and waits for its retry.
    await receiver.waitFor(2);
    const waiting = await metrics();
    expect(sample(waiting, 'hqwatch_notifications_pending', LABELS)).toBeGreaterThanOrEqual(1);
    expect(sample(waiting, 'hqwatch_notifications_undeliverable', LABELS)).toBe(1);
    await eventually(async () => sample(await metrics(), 'hqwatch_notification_retries_total', LABELS) >= 1, 5_000, 'a retry');

    receiver.answer({ status: 200 });
    await eventually(() => statuses().includes('resolve'), 10_000, 'the resolve delivered');
    await eventually(async () => (await health()).pending === 0, 5_000, 'nothing pending');

    expect(await health()).toMatchObject({ pending: 0, undeliverable: 1, problem: '1 alert delivery undeliverable' });
    const text = await metrics();
    expect(text).toContain(`hqwatch_notifications_undeliverable${LABELS} 1\n`);
    expect(text).toContain(`hqwatch_notifications_failed_total${LABELS} 1\n`);
    expect(text).toContain(`hqwatch_notifications_pending${LABELS} 0\n`);
    // Every request the receiver got is counted once: sent, given up on, or retried.
    const sent = sample(text, 'hqwatch_notifications_sent_total', LABELS);
    const retries = sample(text, 'hqwatch_notification_retries_total', LABELS);
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(sent + 1 + retries).toBe(receiver.received.length);

    const overview = (await (await t.api('/api/notify')).json()) as NotifyOverview;
    expect(overview.undeliverable).toBe(1);
    expect(overview.undeliverableList).toEqual([
      expect.objectContaining({ channelId: 'ops', status: 'trigger', error: 'refused: HTTP 400: invalid payload' }),
    ]);
    expect(JSON.stringify(overview) + text).not.toContain(SECRET);
  });

  it("a thread's resolve for a channel taken out of the config is recorded as undeliverable, not dropped", async () => {
    await eventually(() => t.app.monitor.current().incident === null, 15_000, 'the first incident closed');
    const before = receiver.received.length;
    const { undeliverable: undeliverableBefore } = await health();
    await t.lab.setState('primary', 'stopped');
    await eventually(() => statuses().slice(before).includes('trigger'), 10_000, 'the trigger');
    const incidentId = t.app.monitor.current().incident!.id;
    await eventually(async () => (await health()).pending === 0, 5_000, 'nothing in flight');

    // The channel goes (a config reload) while its thread is open.
    t.app.setConfig({ ...t.config, notify: { ...t.config.notify, channels: [], routes: [] } });
    const sentBefore = receiver.received.length;
    await t.lab.setState('primary', 'serving');
    await eventually(() => t.app.monitor.current().incident === null, 15_000, 'the incident closed');

    const resolve = await eventually(
      async () => {
        const list = ((await (await t.api(`/api/notify/messages?incident=${incidentId}`)).json()) as { messages: MessageView[] }).messages;
        const found = list.find((m) => m.message.status === 'resolve');
        return found?.deliveries[0]?.state === 'failed' && found;
      },
      10_000,
      'the resolve recorded as undeliverable',
    );
    expect(resolve.deliveries).toEqual([
      { channelId: 'ops', state: 'failed', attempts: 0, sentAt: null, error: 'channel "ops" is not configured any more' },
    ]);
    expect(receiver.received.length).toBe(sentBefore);

    const now = await health();
    expect(now.undeliverable).toBeGreaterThan(undeliverableBefore);
    const overview = (await (await t.api('/api/notify')).json()) as NotifyOverview;
    expect(overview.channels).toEqual([expect.objectContaining({ id: 'ops', kind: 'removed', undeliverable: now.undeliverable })]);
    expect(overview.undeliverableList).toContainEqual(
      expect.objectContaining({ channelId: 'ops', status: 'resolve', error: 'channel "ops" is not configured any more' }),
    );
    const text = await metrics();
    expect(text).toContain(`hqwatch_notifications_undeliverable{channel="ops",kind="removed"} ${now.undeliverable}\n`);
  });
});
