import type { ChannelConfig, EmailContent } from '@hqwatch/shared';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { errorText, type SendResult } from './result.ts';

type EmailChannel = Extract<ChannelConfig, { kind: 'email' }>;

/** SMTP reply codes and nodemailer error codes worth another try: the server or the network is having a moment. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET']);

/**
 * Sends alert mails through one SMTP server per channel; nodemailer is loaded on the first mail,
 * so a config without e-mail channels never loads it. Transports are kept per channel settings and
 * replaced when they change (a reload with a new password).
 */
export function createSmtpSender() {
  const transports = new Map<string, { key: string; transport: Transporter<SMTPTransport.SentMessageInfo> }>();

  async function transportFor(channel: EmailChannel, timeoutMs: number): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
    const key = JSON.stringify([channel.smtp, timeoutMs]);
    const held = transports.get(channel.id);
    if (held?.key === key) return held.transport;
    held?.transport.close();
    const { createTransport } = await import('nodemailer');
    const { host, port, security, user, password, verifyCertificate } = channel.smtp;
    const transport = createTransport({
      host,
      port,
      secure: security === 'tls',
      requireTLS: security === 'starttls',
      ignoreTLS: security === 'none',
      ...(user !== undefined && password !== undefined && { auth: { user, pass: password } }),
      tls: { rejectUnauthorized: verifyCertificate },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    transports.set(channel.id, { key, transport });
    return transport;
  }

  return {
    async send(channel: EmailChannel, content: EmailContent, timeoutMs: number): Promise<SendResult> {
      try {
        const transport = await transportFor(channel, timeoutMs);
        await transport.sendMail({
          from: channel.from,
          to: channel.to,
          subject: content.subject,
          text: content.text,
          html: content.html,
          messageId: content.messageId,
          ...(content.references && { inReplyTo: content.references, references: content.references }),
          headers: { 'X-Hqwatch': '1' },
        });
        return { ok: true, status: null };
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        const responseCode = (err as { responseCode?: number }).responseCode;
        // 4xx replies are the server's "try again later"; 5xx and a refused login are for good.
        const retry = responseCode !== undefined ? responseCode < 500 : TRANSIENT_CODES.has(code) || code === '';
        return { ok: false, retry, error: `${code ? `${code}: ` : ''}${errorText(err)}` };
      }
    },
    close(): void {
      for (const { transport } of transports.values()) transport.close();
      transports.clear();
    },
  };
}

export type SmtpSender = ReturnType<typeof createSmtpSender>;
