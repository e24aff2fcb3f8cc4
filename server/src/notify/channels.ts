import { emailContent, pagerdutyBody, slackBody, teamsBody, webhookBody, type AlertMessage, type ChannelConfig } from '@hqwatch/shared';
import { postJson } from './http-post.ts';
import type { SendResult } from './result.ts';
import { SIGNATURE_HEADER, signBody } from './signature.ts';
import type { SmtpSender } from './smtp.ts';

export interface DeliverOptions {
  timeoutMs: number;
  nowMs: () => number;
  smtp: SmtpSender;
}

/**
 * Delivers one message on one channel (its secrets resolved), in the channel's own format: a
 * signed JSON webhook, Slack and Teams incoming webhooks, PagerDuty Events API v2, or an e-mail.
 */
export async function deliver(channel: ChannelConfig, message: AlertMessage, opts: DeliverOptions): Promise<SendResult> {
  const { timeoutMs, nowMs } = opts;
  switch (channel.kind) {
    case 'webhook': {
      const body = JSON.stringify(webhookBody(message));
      return postJson(
        channel.url,
        body,
        {
          ...channel.headers,
          [SIGNATURE_HEADER]: signBody(body, channel.secret, nowMs()),
          'X-Hqwatch-Event': message.event,
          'X-Hqwatch-Message-Id': message.id,
        },
        timeoutMs,
        nowMs,
      );
    }
    case 'slack':
      return postJson(channel.url, JSON.stringify(slackBody(message)), {}, timeoutMs, nowMs);
    case 'teams':
      return postJson(channel.url, JSON.stringify(teamsBody(message)), {}, timeoutMs, nowMs);
    case 'pagerduty': {
      const acknowledge = channel.acknowledgeWhenServing && message.status === 'update' && message.severity !== 'critical';
      const body = pagerdutyBody(message, channel.routingKey, acknowledge ? 'acknowledge' : undefined);
      return postJson(channel.url, JSON.stringify(body), {}, timeoutMs, nowMs);
    }
    case 'email':
      return opts.smtp.send(channel, emailContent(message, channel.from), timeoutMs);
  }
}
