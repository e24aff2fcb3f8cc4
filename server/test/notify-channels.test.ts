/**
 * Each channel delivers to a real receiver on loopback (octet 30) in the format that receiver
 * expects: the webhook's JSON with its HMAC signature, Slack's blocks, a Teams Adaptive Card,
 * PagerDuty Events API v2, and an e-mail through a real SMTP server (STARTTLS and a login, implicit
 * TLS with a certificate made here, or a plain relay), parsed by mailparser. Failures are told apart: worth a retry, or refused for good.
 */
import { createHmac } from 'node:crypto';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelSchema, resolveChannel, testMessage, type AlertMessage, type ChannelConfig } from '@hqwatch/shared';
import { deliver } from '../src/notify/channels.ts';
import { createSmtpSender } from '../src/notify/smtp.ts';
import { verifySignature } from '../src/notify/signature.ts';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver } from './support/receivers.ts';

const HOST = '127.0.30.1';
const smtp = createSmtpSender();
const now = () => Date.now();

const channel = (raw: Record<string, unknown>): ChannelConfig => channelSchema.parse(raw);

const message: AlertMessage = {
  id: 'hqwatch-incident-inc-20261128T090200000Z#1',
  dedupKey: 'hqwatch-incident-inc-20261128T090200000Z',
  seq: 1,
  event: 'window.opened',
  status: 'trigger',
  severity: 'critical',
  at: '2026-11-28T09:02:00.000Z',
  incidentId: 'inc-20261128T090200000Z',
  hqState: 'failing-over',
  title: 'Failover in progress',
  summary: 'Failover in progress. Call Manager telephony & video lost at 2 sites (520 users)',
  details: [
    '00:00 elapsed — typically 5–20 min',
    'No Headquarters services until it completes.',
    'Call Manager telephony & video lost at 2 sites (520 users)',
    'After the failover completes, Call Manager users logging in must specify the IP address of the secondary server: 10.2.0.10',
    'Austin <branch>: Call Manager telephony & video',
  ],
  losses: [{ what: 'Call Manager telephony & video', sites: 2, users: 520 }],
  callManagerAddress: null,
  callManagerAfter: '10.2.0.10',
  window: {
    kind: 'failover',
    startedAt: '2026-11-28T09:02:00.000Z',
    elapsedMs: 0,
    expectedMinMs: 300_000,
    expectedMaxMs: 1_200_000,
    overrun: false,
  },
  sites: ['hq', 'austin'],
  servers: ['primary', 'secondary'],
  url: 'https://hqwatch.example.com/incidents/inc-20261128T090200000Z',
  planned: null,
  muted: null,
};

let receiver: HttpReceiver;

beforeAll(async () => {
  receiver = await startHttpReceiver(HOST);
});
afterAll(async () => {
  smtp.close();
  await receiver.close();
});

const send = (c: ChannelConfig, m: AlertMessage = message, timeoutMs = 2_000) => deliver(c, m, { timeoutMs, nowMs: now, smtp });

describe('webhook', () => {
  it('posts the message as JSON with the HMAC signature a receiver can verify', async () => {
    const before = receiver.received.length;
    const secret = 'at-least-16-chars';
    const result = await send(channel({ id: 'ops', kind: 'webhook', url: `${receiver.url}/hook`, secret }));
    expect(result).toEqual({ ok: true, status: 200 });
    const [req] = (await receiver.waitFor(before + 1)).slice(before);
    expect(req!.path).toBe('/hook');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-hqwatch-event']).toBe('window.opened');
    expect(req!.headers['x-hqwatch-message-id']).toBe(message.id);
    const body = req!.json as Record<string, unknown>;
    expect(body).toMatchObject({
      version: 1,
      event: 'window.opened',
      status: 'trigger',
      incidentId: message.incidentId,
      dedupKey: message.dedupKey,
      hqState: 'failing-over',
      at: message.at,
      summary: message.summary,
    });
    expect(body).not.toHaveProperty('muted');
    // The signature, checked the way the README tells a receiver to.
    const header = String(req!.headers['x-hqwatch-signature']);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(match).not.toBeNull();
    const expected = createHmac('sha256', secret).update(`${match![1]}.${req!.body}`).digest('hex');
    expect(match![2]).toBe(expected);
    expect(Math.abs(Number(match![1]) - Date.now() / 1000)).toBeLessThan(10);
    expect(verifySignature(req!.body, header, secret, Date.now())).toBe(true);
    expect(verifySignature(req!.body, header, 'another-secret-16ch', Date.now())).toBe(false);
    expect(verifySignature(`${req!.body} `, header, secret, Date.now())).toBe(false);
    expect(verifySignature(req!.body, header, secret, Date.now() + 600_000)).toBe(false);
  });

  it('reads its URL and secret from the environment', async () => {
    const before = receiver.received.length;
    const configured = channel({ id: 'ops', kind: 'webhook', url: '${ENV:HOOK_URL}', secret: '${ENV:HOOK_SECRET}' });
    const resolved = resolveChannel(configured, { HOOK_URL: `${receiver.url}/env`, HOOK_SECRET: 'from-the-environment' });
    expect(await send(resolved)).toMatchObject({ ok: true });
    const [req] = (await receiver.waitFor(before + 1)).slice(before);
    expect(req!.path).toBe('/env');
    expect(verifySignature(req!.body, String(req!.headers['x-hqwatch-signature']), 'from-the-environment', Date.now())).toBe(true);
  });

  it('tells a refusal for good from one worth a retry, and honours Retry-After', async () => {
    const hook = channel({ id: 'ops', kind: 'webhook', url: `${receiver.url}/hook`, secret: 'at-least-16-chars' });
    receiver.answer({ status: 400, body: 'bad payload' });
    expect(await send(hook)).toEqual({ ok: false, retry: false, error: 'HTTP 400: bad payload' });
    receiver.answer({ status: 503 });
    expect(await send(hook)).toMatchObject({ ok: false, retry: true, error: 'HTTP 503: ok' });
    receiver.answer({ status: 429, headers: { 'retry-after': '7' } });
    expect(await send(hook)).toMatchObject({ ok: false, retry: true, retryAfterMs: 7_000 });
    receiver.answer({ status: 302, headers: { location: 'http://elsewhere.example/' } });
    expect(await send(hook)).toMatchObject({ ok: false, retry: false });
    receiver.answer({ status: 200, delayMs: 1_000 });
    expect(await send(hook, message, 200)).toEqual({ ok: false, retry: true, error: 'no answer within 200 ms' });
    receiver.answer();
    const down = channel({ id: 'ops', kind: 'webhook', url: 'http://127.0.30.2:59999/hook', secret: 'at-least-16-chars' });
    const refused = await send(down);
    expect(refused).toMatchObject({ ok: false, retry: true });
    expect(refused.ok ? '' : refused.error).toMatch(/ECONNREFUSED/);
  });
});

describe('Slack and Teams', () => {
  it('Slack gets a notification text and blocks that read on a phone', async () => {
    const before = receiver.received.length;
    await send(channel({ id: 'chat', kind: 'slack', url: `${receiver.url}/services/T000/B000/XXXX` }));
    const [req] = (await receiver.waitFor(before + 1)).slice(before);
    const body = req!.json as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string }; elements?: { text: string }[] }[];
    };
    expect(body.text).toBe('🔴 Failover in progress. Call Manager telephony & video lost at 2 sites (520 users)');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🔴 Failover in progress', emoji: true } });
    expect(body.blocks[1]!.type).toBe('section');
    expect(body.blocks[1]!.text!.type).toBe('mrkdwn');
    // mrkdwn control characters are escaped.
    expect(body.blocks[1]!.text!.text).toContain('• Austin &lt;branch&gt;: Call Manager telephony &amp; video');
    expect(body.blocks[2]!.type).toBe('context');
    expect(body.blocks[2]!.elements![0]!.text).toContain(`<${message.url}|Open in hqwatch>`);
    expect(body.blocks[2]!.elements![0]!.text).toContain('TRIGGERED · window.opened · HQ: failing-over');
  });

  it('Teams gets a message with one Adaptive Card and a button to the incident', async () => {
    const before = receiver.received.length;
    await send(channel({ id: 'teams', kind: 'teams', url: `${receiver.url}/webhookb2/abc` }));
    const [req] = (await receiver.waitFor(before + 1)).slice(before);
    const body = req!.json as { type: string; attachments: { contentType: string; content: Record<string, unknown> }[] };
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0]!.content as {
      type: string;
      version: string;
      body: { text: string; color?: string }[];
      actions: unknown[];
    };
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.4');
    expect(card.body[0]).toMatchObject({ text: '🔴 Failover in progress', color: 'Attention', weight: 'Bolder' });
    expect(card.body.map((b) => b.text)).toContain('Call Manager telephony & video lost at 2 sites (520 users)');
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in hqwatch', url: message.url }]);
  });
});

describe('PagerDuty Events API v2', () => {
  it('triggers with a stable dedup_key, updates as triggers of the same key, resolves', async () => {
    const before = receiver.received.length;
    const pager = channel({
      id: 'pager',
      kind: 'pagerduty',
      routingKey: 'R0UT1NGK3Y0000000000000000000000',
      url: `${receiver.url}/v2/enqueue`,
    });
    await send(pager);
    await send(pager, {
      ...message,
      id: `${message.dedupKey}#2`,
      seq: 2,
      status: 'update',
      title: 'Failover finished',
      severity: 'warning',
    });
    await send(pager, { ...message, id: `${message.dedupKey}#3`, seq: 3, status: 'resolve', severity: 'info' });
    const [trigger, update, resolve] = (await receiver.waitFor(before + 3)).slice(before).map((r) => r.json as Record<string, unknown>);
    expect(trigger).toEqual({
      routing_key: 'R0UT1NGK3Y0000000000000000000000',
      event_action: 'trigger',
      dedup_key: message.dedupKey,
      payload: {
        summary: message.summary,
        source: 'hqwatch',
        severity: 'critical',
        timestamp: message.at,
        component: 'primary, secondary',
        group: 'ShoreWare HQ',
        class: 'window.opened',
        custom_details: {
          title: message.title,
          details: message.details,
          hqState: 'failing-over',
          incidentId: message.incidentId,
          callManagerAddress: null,
          sites: ['hq', 'austin'],
        },
      },
      client: 'hqwatch',
      client_url: message.url,
      links: [{ href: message.url, text: 'Open in hqwatch' }],
    });
    expect(update).toMatchObject({ event_action: 'trigger', dedup_key: message.dedupKey, payload: { severity: 'warning' } });
    expect(resolve).toEqual({ routing_key: 'R0UT1NGK3Y0000000000000000000000', event_action: 'resolve', dedup_key: message.dedupKey });
  });

  it('acknowledges once HQ serves again when asked to', async () => {
    const before = receiver.received.length;
    const pager = channel({
      id: 'pager',
      kind: 'pagerduty',
      routingKey: 'R0UT1NGK3Y0000000000000000000000',
      url: `${receiver.url}/v2/enqueue`,
      acknowledgeWhenServing: true,
    });
    await send(pager, { ...message, seq: 2, status: 'update', severity: 'warning' });
    const [ack] = (await receiver.waitFor(before + 1)).slice(before).map((r) => r.json as Record<string, unknown>);
    expect(ack).toEqual({ routing_key: 'R0UT1NGK3Y0000000000000000000000', event_action: 'acknowledge', dedup_key: message.dedupKey });
  });
});

describe('e-mail over SMTP', () => {
  it('sends through STARTTLS with a login; the thread references its first message', async () => {
    const server = await startSmtpReceiver({ host: HOST, auth: { user: 'hqwatch', pass: 's3cret-password' } });
    try {
      const mail = channel({
        id: 'mail',
        kind: 'email',
        smtp: {
          host: HOST,
          port: server.port,
          security: 'starttls',
          user: 'hqwatch',
          password: 's3cret-password',
          verifyCertificate: false,
        },
        from: 'hqwatch@noc.example.com',
        to: ['oncall@example.com', 'noc@example.com'],
      });
      expect(await send(mail)).toEqual({ ok: true, status: null });
      expect(
        await send(mail, {
          ...message,
          id: `${message.dedupKey}#2`,
          seq: 2,
          status: 'resolve',
          severity: 'info',
          title: 'Resolved: the primary HQ server is serving',
        }),
      ).toMatchObject({ ok: true });
      const [first, second] = await server.waitFor(2);
      expect(server.envelopes[0]).toEqual({
        user: 'hqwatch',
        from: 'hqwatch@noc.example.com',
        to: ['oncall@example.com', 'noc@example.com'],
        secure: true,
      });
      expect(first!.subject).toBe('[hqwatch] CRITICAL: Failover in progress');
      expect(first!.text).toContain('- Call Manager telephony & video lost at 2 sites (520 users)');
      expect(first!.text).toContain(message.url!);
      expect(first!.html).toContain('<li>Austin &lt;branch&gt;: Call Manager telephony &amp; video</li>');
      expect(first!.messageId).toBe('<hqwatch-incident-inc-20261128T090200000Z.1@noc.example.com>');
      expect(second!.subject).toBe('[hqwatch] RESOLVED: the primary HQ server is serving');
      expect(second!.inReplyTo).toBe(first!.messageId);
      expect(second!.references).toBe(first!.messageId);
    } finally {
      await server.close();
    }
  });

  it('a wrong password is refused for good; a server that is not there is worth a retry', async () => {
    const server = await startSmtpReceiver({ host: HOST, auth: { user: 'hqwatch', pass: 's3cret-password' } });
    try {
      const smtpOf = (port: number, password: string) =>
        channel({
          id: `mail-${port}-${password}`,
          kind: 'email',
          smtp: { host: HOST, port, user: 'hqwatch', password, verifyCertificate: false },
          from: 'hqwatch@noc.example.com',
          to: ['oncall@example.com'],
        });
      const wrong = await send(smtpOf(server.port, 'not-the-password'));
      expect(wrong).toMatchObject({ ok: false, retry: false });
      expect(wrong.ok ? '' : wrong.error).not.toContain('not-the-password');
      const away = await send(smtpOf(9, 'whatever'));
      expect(away).toMatchObject({ ok: false, retry: true });
    } finally {
      await server.close();
    }
  });
});

describe('e-mail: implicit TLS and a plain relay', () => {
  /** A self-signed certificate for the receiver's address, made here. */
  async function certificate(): Promise<{ key: string; cert: string }> {
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'smtp.hqwatch.test' }], {
      keyType: 'ec',
      curve: 'P-256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: HOST }] }],
    });
    return { key: pems.private, cert: pems.cert };
  }

  const mailOn = (port: number, smtpSettings: Record<string, unknown>) =>
    channel({
      id: `mail-${port}`,
      kind: 'email',
      smtp: { host: HOST, port, ...smtpSettings },
      from: 'hqwatch@noc.example.com',
      to: ['oncall@example.com'],
    });

  it('security: tls speaks TLS from the first byte and logs in inside it; an unverified certificate is refused unless told', async () => {
    const server = await startSmtpReceiver({ host: HOST, tls: await certificate(), auth: { user: 'hqwatch', pass: 's3cret-password' } });
    try {
      const login = { security: 'tls', user: 'hqwatch', password: 's3cret-password' };
      const checked = await send(mailOn(server.port, login));
      expect(checked.ok).toBe(false);
      expect(checked.ok ? '' : checked.error).toMatch(/self[- ]signed certificate/i);
      expect(server.mails).toHaveLength(0);

      expect(await send(mailOn(server.port, { ...login, verifyCertificate: false }))).toEqual({ ok: true, status: null });
      const [mail] = await server.waitFor(1);
      expect(server.envelopes[0]).toEqual({ user: 'hqwatch', from: 'hqwatch@noc.example.com', to: ['oncall@example.com'], secure: true });
      expect(mail!.subject).toBe('[hqwatch] CRITICAL: Failover in progress');
    } finally {
      await server.close();
    }
  });

  it('security: none hands the mail to a relay in plain, without a login, not upgrading even when offered', async () => {
    const server = await startSmtpReceiver({ host: HOST, offerStartTls: true });
    try {
      expect(await send(mailOn(server.port, { security: 'none' }))).toEqual({ ok: true, status: null });
      const [mail] = await server.waitFor(1);
      expect(server.envelopes[0]).toEqual({ user: null, from: 'hqwatch@noc.example.com', to: ['oncall@example.com'], secure: false });
      expect(mail!.subject).toBe('[hqwatch] CRITICAL: Failover in progress');
      expect(mail!.text).toContain('- Call Manager telephony & video lost at 2 sites (520 users)');
      // The same relay with starttls: the upgrade it offers is taken.
      expect(await send(mailOn(server.port, { security: 'starttls', verifyCertificate: false }))).toMatchObject({ ok: true });
      await server.waitFor(2);
      expect(server.envelopes[1]!.secure).toBe(true);
    } finally {
      await server.close();
    }
  });
});

it('a test message says the channel works and nothing is wrong', () => {
  const m = testMessage('ops', '2026-11-28T09:00:00.000Z', null);
  expect(m.title).toBe('Test message from hqwatch: channel "ops" works');
  expect(m.event).toBe('test');
});
