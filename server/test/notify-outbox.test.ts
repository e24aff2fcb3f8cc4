/**
 * The durable outbox on both backends (octet 31): its rows are committed in the round's transaction
 * or not at all, each delivery once per message and channel; the worker sends them to a real
 * receiver, in order per channel, retrying with backoff through a receiver that is down, slow or
 * answering 429 with Retry-After, and keeps what it cannot deliver as undeliverable.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { channelSchema, initialCore, type AlertMessage, type ChannelConfig, type EngineCore, type NotifyConfig } from '@hqwatch/shared';
import { createLogger } from '../src/logger.ts';
import { deliver } from '../src/notify/channels.ts';
import { createOutboxWorker } from '../src/notify/outbox-worker.ts';

type OutboxWorker = ReturnType<typeof createOutboxWorker>;
import { createSmtpSender } from '../src/notify/smtp.ts';
import type { RoundAlerts, Store } from '../src/store/store.ts';
import { eventually } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { startHttpReceiver, type HttpReceiver } from './support/receivers.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { alertMessage } from './support/alert-message.ts';

const HOST = '127.0.31.1';
/** Rounds a little in the past: a delivery is due from its round's time. */
const T0 = Date.now() - 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const message = (seq: number, status?: AlertMessage['status']) => alertMessage('inc-1', seq, iso(T0 + seq * 1000), status);

function round(messages: AlertMessage[], channels: string[], deadlineAtMs = Date.now() + 60_000): RoundAlerts {
  return {
    messages,
    deliveries: messages.flatMap((m) => channels.map((channelId) => ({ messageId: m.id, channelId, deadlineAtMs }))),
    memory: JSON.stringify({ threads: [] }),
  };
}

const delivery = (over: Partial<NotifyConfig['delivery']> = {}): NotifyConfig['delivery'] => ({
  timeout: 500,
  firstRetry: 100,
  maxRetry: 400,
  deadline: 60_000,
  ...over,
});

describeStores('the alert outbox', (backend) => {
  let place: StorePlace;
  let store: Store;
  let receiver: HttpReceiver;
  let worker: OutboxWorker | null = null;
  const smtp = createSmtpSender();
  const core: EngineCore = initialCore(testConfig(31), iso(T0));

  beforeEach(async () => {
    place = await backend.place();
    store = await place.open();
    receiver = await startHttpReceiver(HOST);
  });

  afterEach(async () => {
    await worker?.stop();
    worker = null;
    await store.close();
    await receiver.close();
    await place.cleanup();
  });

  function startWorker(opts: { delivery?: Partial<NotifyConfig['delivery']>; channels?: Record<string, ChannelConfig> } = {}) {
    const channels = opts.channels ?? {
      ops: channelSchema.parse({ id: 'ops', kind: 'webhook', url: `${receiver.url}/hook`, secret: 'at-least-16-chars' }),
    };
    worker = createOutboxWorker({
      store: store.notify,
      channel: (id) => ({ config: channels[id] ?? null, scrub: (text) => text.replaceAll('at-least-16-chars', '***') }),
      delivery: () => delivery(opts.delivery),
      send: (config, m, timeoutMs) => deliver(config, m, { timeoutMs, nowMs: Date.now, smtp }),
      now: Date.now,
      log: createLogger('silent'),
      random: () => 0.5,
    });
    worker.start();
    return worker;
  }

  const events = (body: unknown[]) => body as never[];

  it('commits the outbox with the round, and a round that fails leaves none', async () => {
    const elsewhere = await backend.place();
    const faulty = await elsewhere.openFaulty();
    try {
      await faulty.fail();
      const appended = faulty.store.append(events([]), core, iso(T0 + 1000), round([message(1)], ['ops']));
      await appended;
      expect(faulty.store.status().ok).toBe(false);
      if (backend.name === 'sqlite') expect(await faulty.store.notify.pending(10)).toEqual([]);
      await faulty.heal();
      // Once the write lands, the messages, the delivery and the memory are there together.
      const pending = await eventually(
        async () => {
          const rows = await faulty.store.notify.pending(10).catch(() => []);
          return rows.length > 0 && rows;
        },
        15_000,
        'the queued round to land',
      );
      expect(pending.map((p) => [p.messageId, p.channelId])).toEqual([['hqwatch-incident-inc-1#1', 'ops']]);
      expect(await faulty.store.notify.memory()).toEqual({ threads: [] });
    } finally {
      await faulty.close();
      await elsewhere.cleanup();
    }
  });

  it('records a delivery once per message and channel', async () => {
    const alerts = round([message(1)], ['ops', 'ops']);
    await store.append(events([]), core, iso(T0 + 1000), alerts);
    await store.append(events([]), core, iso(T0 + 2000), alerts);
    expect((await store.notify.pending(10)).map((p) => p.id)).toHaveLength(1);
    expect(await store.notify.counts()).toEqual([{ channelId: 'ops', pending: 1, failed: 0 }]);
  });

  it('sends in order per channel and marks what the receiver accepted', async () => {
    await store.append(events([]), core, iso(T0 + 1000), round([message(1), message(2), message(3, 'resolve')], ['ops']));
    startWorker();
    const got = await receiver.waitFor(3);
    expect(got.map((r) => (r.json as { seq: number }).seq)).toEqual([1, 2, 3]);
    await eventually(async () => (await store.notify.counts()).length === 0, 5_000, 'no pending deliveries');
    const [record] = await store.notify.messages({ incidentId: 'inc-1', limit: 1 });
    expect(record!.deliveries).toEqual([{ channelId: 'ops', state: 'sent', attempts: 1, sentAt: expect.any(String), error: null }]);
  });

  it('a receiver down then back: retried with backoff, delivered once, nothing overtakes', async () => {
    await receiver.down();
    await store.append(events([]), core, iso(T0 + 1000), round([message(1), message(2)], ['ops']));
    startWorker();
    await eventually(async () => ((await store.notify.pending(10))[0]?.attempts ?? 0) >= 2, 10_000, 'two failed attempts');
    const [head, next] = await store.notify.pending(10);
    expect(next!.attempts).toBe(0); // waits behind the head
    expect(head!.nextAtMs).toBeGreaterThan(Date.now() - 1_000);
    await receiver.up();
    const got = await receiver.waitFor(2, 10_000);
    await eventually(async () => (await store.notify.counts()).length === 0, 5_000, 'all sent');
    expect(got.map((r) => (r.json as { seq: number }).seq)).toEqual([1, 2]);
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.received).toHaveLength(2);
  });

  it('a slow receiver times out and is tried again', async () => {
    receiver.answer({ delayMs: 1_500 }, { status: 200 });
    await store.append(events([]), core, iso(T0 + 1000), round([message(1)], ['ops']));
    startWorker({ delivery: { timeout: 300 } });
    await receiver.waitFor(2, 10_000);
    await eventually(async () => (await store.notify.counts()).length === 0, 5_000, 'sent');
    const [record] = await store.notify.messages({ limit: 1 });
    expect(record!.deliveries[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('honours a 429 Retry-After', async () => {
    receiver.answer({ status: 429, headers: { 'retry-after': '1' } }, { status: 200 });
    await store.append(events([]), core, iso(T0 + 1000), round([message(1)], ['ops']));
    startWorker({ delivery: { firstRetry: 50, maxRetry: 50 } });
    const [first, second] = await receiver.waitFor(2, 10_000);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('keeps what cannot be delivered, visible and retryable, and goes on with the next', async () => {
    receiver.answer({ status: 400, body: 'invalid payload' }, { status: 200 });
    await store.append(events([]), core, iso(T0 + 1000), round([message(1), message(2)], ['ops']));
    startWorker();
    await receiver.waitFor(2);
    await eventually(async () => (await store.notify.counts())[0]?.pending === 0, 5_000, 'the second sent');
    const [kept] = await store.notify.undeliverable(10);
    expect(kept).toMatchObject({
      messageId: 'hqwatch-incident-inc-1#1',
      channelId: 'ops',
      attempts: 1,
      error: 'refused: HTTP 400: invalid payload',
    });
    expect(await store.notify.counts()).toEqual([{ channelId: 'ops', pending: 0, failed: 1 }]);
    expect(await store.notify.retry(kept!.id, Date.now(), Date.now() + 60_000)).toBe(true);
    worker!.wake();
    await receiver.waitFor(3);
    await eventually(async () => (await store.notify.counts()).length === 0, 5_000, 'retried and sent');
  });

  it('past its deadline a failing delivery is kept as undeliverable, its last error scrubbed', async () => {
    await receiver.down();
    await store.append(events([]), core, iso(T0 + 1000), round([message(1)], ['ops'], Date.now() + 700));
    startWorker({ delivery: { firstRetry: 100, maxRetry: 200 } });
    const [kept] = await eventually(
      async () => {
        const list = await store.notify.undeliverable(10);
        return list.length > 0 && list;
      },
      10_000,
      'undeliverable',
    );
    expect(kept!.error).toMatch(/^undeliverable: still failing at its deadline after \d+ attempts \(fetch failed: .*ECONNREFUSED/);
  });

  it('a delivery for a channel no longer configured is kept as undeliverable', async () => {
    await store.append(events([]), core, iso(T0 + 1000), round([message(1)], ['gone']));
    startWorker();
    const [kept] = await eventually(
      async () => {
        const list = await store.notify.undeliverable(10);
        return list.length > 0 && list;
      },
      5_000,
      'undeliverable',
    );
    expect(kept!.error).toBe('channel "gone" is not configured any more');
  });
});
