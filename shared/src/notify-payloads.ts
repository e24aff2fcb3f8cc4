import type { AlertMessage, AlertSeverity, AlertStatus } from './alert-events.ts';

/**
 * What each channel is sent for a message, in that vendor's format. Pure: the senders in
 * `server/src/notify/` add the transport (HTTP with a signature, SMTP) and the secrets.
 */

/** The webhook's JSON body: the message as recorded, with a version, without what concerns only hqwatch. */
export function webhookBody(message: AlertMessage): Record<string, unknown> {
  const { muted: _muted, ...rest } = message;
  return { version: 1, ...rest };
}

const STATUS_WORD: Record<AlertStatus, string> = { trigger: 'TRIGGERED', update: 'UPDATE', resolve: 'RESOLVED' };

/** A glyph for a phone's lock screen, always with the words beside it. */
function mark(message: Pick<AlertMessage, 'status' | 'severity'>): string {
  if (message.status === 'resolve') return '✅';
  return message.severity === 'critical' ? '🔴' : message.severity === 'warning' ? '🟠' : '🔵';
}

/** The message's footnote: what kind of message, of which thread, in which HQ state. */
function footnote(message: AlertMessage): string {
  const parts = [STATUS_WORD[message.status], message.event, `HQ: ${message.hqState}`];
  if (message.incidentId) parts.push(`incident ${message.incidentId}`);
  if (message.planned) parts.push(`planned: ${message.planned}`);
  return parts.join(' · ');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack's mrkdwn: `&`, `<` and `>` are control characters and must be escaped. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A Slack incoming webhook's body: a notification text, and blocks that read on a phone (a header,
 * the details, a context line with the link).
 */
export function slackBody(message: AlertMessage): Record<string, unknown> {
  const head = `${mark(message)} ${message.status === 'resolve' ? 'Resolved: ' : ''}${message.title.replace(/^Resolved: /, '')}`;
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: clip(head, 150), emoji: true } }];
  if (message.details.length > 0)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(message.details.map((line) => `• ${slackEscape(line)}`).join('\n'), 3000) },
    });
  const link = message.url ? ` · <${message.url}|Open in hqwatch>` : '';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`${slackEscape(footnote(message))}${link}`, 3000) }] });
  return { text: clip(`${mark(message)} ${message.summary}`, 3000), blocks };
}

const TEAMS_COLOR: Record<AlertSeverity, string> = { critical: 'Attention', warning: 'Warning', info: 'Good' };

/**
 * A Microsoft Teams incoming webhook's body (Workflows, and the older connectors): a message with
 * one Adaptive Card — the title, the details, the footnote and a button to the incident.
 */
export function teamsBody(message: AlertMessage): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: `${mark(message)} ${message.title}`,
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      color: message.status === 'resolve' ? 'Good' : TEAMS_COLOR[message.severity],
    },
    ...message.details.map((line) => ({ type: 'TextBlock', text: line, wrap: true, spacing: 'Small' })),
    { type: 'TextBlock', text: footnote(message), isSubtle: true, size: 'Small', wrap: true },
  ];
  const content: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    msteams: { width: 'Full' },
  };
  if (message.url) content.actions = [{ type: 'Action.OpenUrl', title: 'Open in hqwatch', url: message.url }];
  return {
    type: 'message',
    summary: clip(message.summary, 250),
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}

/** PagerDuty's severities: its `error` is our `warning` that costs someone something. */
const PAGERDUTY_SEVERITY: Record<AlertSeverity, string> = { critical: 'critical', warning: 'warning', info: 'info' };

/**
 * A PagerDuty Events API v2 event. A trigger and every update are `trigger` events with the same
 * `dedup_key` (PagerDuty adds them to the open alert, paging once); a resolve is `resolve`;
 * `acknowledge` is sent instead of an update once HQ serves again when the channel asks for it.
 */
export function pagerdutyBody(
  message: AlertMessage,
  routingKey: string,
  action?: 'trigger' | 'acknowledge' | 'resolve',
): Record<string, unknown> {
  const eventAction = action ?? (message.status === 'resolve' ? 'resolve' : 'trigger');
  const base = { routing_key: routingKey, event_action: eventAction, dedup_key: message.dedupKey };
  if (eventAction !== 'trigger') return base;
  return {
    ...base,
    payload: {
      summary: clip(message.summary, 1024),
      source: 'hqwatch',
      severity: PAGERDUTY_SEVERITY[message.severity],
      timestamp: message.at,
      component: message.servers.join(', ') || 'hqwatch',
      group: 'ShoreWare HQ',
      class: message.event,
      custom_details: {
        title: message.title,
        details: message.details,
        hqState: message.hqState,
        incidentId: message.incidentId,
        callManagerAddress: message.callManagerAddress,
        sites: message.sites,
        ...(message.planned && { planned: message.planned }),
      },
    },
    client: 'hqwatch',
    ...(message.url && { client_url: message.url, links: [{ href: message.url, text: 'Open in hqwatch' }] }),
  };
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  /** `Message-ID`, and `In-Reply-To`/`References` to the thread's first message: one thread per incident in mail clients. */
  messageId: string;
  references: string | null;
}

function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A Message-ID of the thread's message `seq` (`<dedupKey.seq@domain>`), the same for every delivery of it. */
function mailId(dedupKey: string, seq: number, domain: string): string {
  return `<${dedupKey.replace(/[^A-Za-z0-9._-]/g, '-')}.${seq}@${domain}>`;
}

/**
 * An e-mail for a message: the subject carries the state of the thread, the body the details as
 * text and simple HTML. The thread's messages reference its first one, so they group together.
 */
export function emailContent(message: AlertMessage, fromAddress: string): EmailContent {
  const domain = /@([^\s>]+)/.exec(fromAddress)?.[1] ?? 'hqwatch.invalid';
  const status = message.status === 'resolve' ? 'RESOLVED' : message.status === 'trigger' ? message.severity.toUpperCase() : 'UPDATE';
  const subject = clip(`[hqwatch] ${status}: ${message.title.replace(/^Resolved: /, '')}`, 200);
  const foot = footnote(message);
  const text = [
    message.title,
    '',
    ...message.details.map((line) => `- ${line}`),
    '',
    ...(message.url ? [message.url, ''] : []),
    foot,
    '',
  ].join('\n');
  const html = [
    `<h2 style="margin:0 0 8px">${htmlEscape(`${mark(message)} ${message.title}`)}</h2>`,
    message.details.length ? `<ul>${message.details.map((line) => `<li>${htmlEscape(line)}</li>`).join('')}</ul>` : '',
    message.url ? `<p><a href="${htmlEscape(message.url)}">Open in hqwatch</a></p>` : '',
    `<p style="color:#666;font-size:12px">${htmlEscape(foot)}</p>`,
  ].join('\n');
  return {
    subject,
    text,
    html,
    messageId: mailId(message.dedupKey, message.seq, domain),
    references: message.seq > 1 ? mailId(message.dedupKey, 1, domain) : null,
  };
}

/** A message that says only that a channel works: `hqwatch notify test` and the admin button. */
export function testMessage(channelId: string, at: string, url: string | null): AlertMessage {
  const dedupKey = `hqwatch-test-${channelId}-${Date.parse(at)}`;
  return {
    id: `${dedupKey}#1`,
    dedupKey,
    seq: 1,
    event: 'test',
    status: 'trigger',
    severity: 'info',
    at,
    incidentId: null,
    hqState: 'test',
    title: `Test message from hqwatch: channel "${channelId}" works`,
    summary: `Test message from hqwatch: channel "${channelId}" works. Nothing is wrong.`,
    details: ['Nothing is wrong: this message was sent on request to check the channel.'],
    losses: [],
    callManagerAddress: null,
    callManagerAfter: null,
    window: null,
    sites: [],
    servers: [],
    url,
    planned: null,
    muted: null,
  };
}
