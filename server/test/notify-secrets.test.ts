/**
 * A channel's secrets never leave it: `channelSecrets` finds them (a chat webhook's URL path, a
 * PagerDuty routing key, an SMTP password) and `scrub` replaces each with `***`, longest first. Then
 * the real notifier on a real store (loopback octet 54): receivers that echo the secret in their
 * refusal leave only `***` in what the outbox keeps (and `/api/notify` shows), in the logs and in a
 * test send's answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelSchema, channelSecrets, initialCore, resolveChannel } from '@hqwatch/shared';
import { createNotifier, type Notifier } from '../src/notify/notifier.ts';
import { scrub } from '../src/notify/result.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { eventually } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { startHttpReceiver, type HttpReceiver } from './support/receivers.ts';
import { alertMessage } from './support/alert-message.ts';

const SLACK_PATH = '/services/T0HQWATCH/B0ALERTS/q8Zr2vLk1xWp9sTn4mYc';
const SLACK_URL = `https://hooks.slack.com${SLACK_PATH}`;
const ROUTING_KEY = 'R0b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5';
const PD_URL = 'https://events.pagerduty.com/v2/enqueue';
const PASSWORD = 'correct horse battery staple';

describe('channelSecrets and scrub', () => {
  it('a Slack webhook: its URL and its path are secret, its host is not', () => {
    const channel = resolveChannel(channelSchema.parse({ id: 'chat', kind: 'slack', url: '${ENV:SLACK_URL}' }), { SLACK_URL });
    const secrets = channelSecrets(channel);
    expect(secrets).toEqual([SLACK_URL, SLACK_PATH]);
    // Longest first: the whole URL goes, not its path alone leaving the host glued to `***`.
    expect(scrub(`POST ${SLACK_URL} failed`, secrets)).toBe('POST *** failed');
    expect(scrub(`HTTP 404: no_service (${SLACK_PATH})`, secrets)).toBe('HTTP 404: no_service (***)');
    expect(scrub('hooks.slack.com refused the connection', secrets)).toBe('hooks.slack.com refused the connection');
    expect(scrub(`${SLACK_PATH} and again ${SLACK_PATH}`, secrets)).toBe('*** and again ***');
  });

  it('a PagerDuty routing key', () => {
    const channel = resolveChannel(channelSchema.parse({ id: 'pager', kind: 'pagerduty', routingKey: '${ENV:PD_KEY}' }), {
      PD_KEY: ROUTING_KEY,
    });
    const secrets = channelSecrets(channel);
    expect(secrets).toEqual([PD_URL, ROUTING_KEY, '/v2/enqueue']);
    expect(scrub(`HTTP 400: {"message":"Invalid routing key ${ROUTING_KEY}"}`, secrets)).toBe(
      'HTTP 400: {"message":"Invalid routing key ***"}',
    );
  });

  it('an SMTP password; none without one', () => {
    const mail = {
      id: 'mail',
      kind: 'email',
      smtp: { host: 'smtp.example.com', user: 'hqwatch', password: '${ENV:SMTP_PASSWORD}' },
      from: 'hqwatch@example.com',
      to: ['oncall@example.com'],
    };
    const secrets = channelSecrets(resolveChannel(channelSchema.parse(mail), { SMTP_PASSWORD: PASSWORD }));
    expect(secrets).toEqual([PASSWORD]);
    expect(scrub(`535 authentication failed for hqwatch:${PASSWORD} at smtp.example.com`, secrets)).toBe(
      '535 authentication failed for hqwatch:*** at smtp.example.com',
    );
    const relay = channelSchema.parse({ ...mail, smtp: { host: 'relay.example.com', security: 'none' } });
    expect(channelSecrets(resolveChannel(relay, {}))).toEqual([]);
  });

  it('scrub leaves text without a secret alone', () => {
    expect(scrub('fetch failed: connect ECONNREFUSED 127.0.0.1:9000', [SLACK_URL, SLACK_PATH])).toBe(
      'fetch failed: connect ECONNREFUSED 127.0.0.1:9000',
    );
    expect(scrub('anything', [])).toBe('anything');
  });
});

/** A pino logger whose lines are kept, to search them for secrets. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

const message = () => alertMessage('inc-secrets', 1, new Date(Date.now() - 1_000).toISOString());

describe('a receiver that echoes the secret in its refusal', () => {
  let slack: HttpReceiver;
  let pager: HttpReceiver;
  let store: Store;
  let notifier: Notifier;
  let dataDir: string;
  const { log, lines } = capturedLogger();
  const secrets = [SLACK_PATH, ROUTING_KEY];

  beforeAll(async () => {
    slack = await startHttpReceiver('127.0.54.250');
    pager = await startHttpReceiver('127.0.54.251');
    // As Slack answers a webhook URL it does not know, and a receiver that repeats the key it refused.
    slack.answer({ status: 404, body: `no_service: ${SLACK_PATH}` });
    pager.answer({ status: 400, body: `{"status":"invalid event","message":"Unknown routing key ${ROUTING_KEY}"}` });
    const config = testConfig(54, {
      notify: {
        channels: [
          { id: 'chat', kind: 'slack', url: '${ENV:SLACK_URL}' },
          { id: 'pager', kind: 'pagerduty', routingKey: '${ENV:PD_KEY}', url: `${pager.url}/v2/enqueue` },
        ],
        routes: [{ channels: ['chat', 'pager'] }],
      },
    });
    dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-notify-secrets-'));
    store = await openStore({ kind: 'sqlite', dataDir, checkpointIntervalMs: 60_000, retentionDays: 90 });
    notifier = createNotifier({
      config: () => config,
      store,
      now: Date.now,
      log,
      env: { SLACK_URL: `${slack.url}${SLACK_PATH}`, PD_KEY: ROUTING_KEY },
    });
    await notifier.start();
    const m = message();
    const deadlineAtMs = Date.now() + 60_000;
    await store.append([], initialCore(config, m.at), m.at, {
      messages: [m],
      deliveries: ['chat', 'pager'].map((channelId) => ({ messageId: m.id, channelId, deadlineAtMs })),
      memory: JSON.stringify({ threads: [] }),
    });
    notifier.alerts.committed();
  });

  afterAll(async () => {
    await notifier?.stop();
    await store?.close();
    await slack?.close();
    await pager?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the refusal as undeliverable with the secret as ***, in the outbox, /api/notify and the logs', async () => {
    const kept = await eventually(
      async () => {
        const list = await store.notify.undeliverable(10);
        return list.length === 2 && list;
      },
      10_000,
      'both deliveries undeliverable',
    );
    // The secrets were used: each receiver was reached with them.
    expect(slack.received[0]!.path).toBe(SLACK_PATH);
    expect((pager.received[0]!.json as { routing_key: string }).routing_key).toBe(ROUTING_KEY);

    const errors = Object.fromEntries(kept.map((k) => [k.channelId, k.error]));
    expect(errors).toEqual({
      chat: 'refused: HTTP 404: no_service: ***',
      pager: 'refused: HTTP 400: {"status":"invalid event","message":"Unknown routing key ***"}',
    });
    // What `/api/notify/messages` shows is the store's record.
    const [record] = await store.notify.messages({ limit: 10 });
    expect(record!.deliveries.map((d) => [d.channelId, d.state, d.error]).sort()).toEqual([
      ['chat', 'failed', 'refused: HTTP 404: no_service: ***'],
      ['pager', 'failed', 'refused: HTTP 400: {"status":"invalid event","message":"Unknown routing key ***"}'],
    ]);
    const status = await notifier.status();
    expect(status.undeliverable).toBe(2);

    const undeliverableLogs = lines.filter((l) => l.includes('alert undeliverable'));
    expect(undeliverableLogs).toHaveLength(2);
    expect(undeliverableLogs.every((l) => l.includes('***'))).toBe(true);
    for (const text of [JSON.stringify(kept), JSON.stringify(record), JSON.stringify(status), ...lines])
      for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it("a test send's answer is scrubbed too", async () => {
    const result = await notifier.test('chat', new Date().toISOString());
    expect(result).toEqual({ ok: false, error: 'HTTP 404: no_service: ***' });
    const paged = await notifier.test('pager', new Date().toISOString());
    expect(paged).toEqual({ ok: false, error: 'HTTP 400: {"status":"invalid event","message":"Unknown routing key ***"}' });
  });
});
