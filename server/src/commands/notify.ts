import { createServer } from 'node:http';
import { channelSecrets, resolveChannel, testMessage, type Env } from '@hqwatch/shared';
import { loadConfigFile } from '../config/load.ts';
import { deliver } from '../notify/channels.ts';
import { scrub } from '../notify/result.ts';
import { SIGNATURE_HEADER, verifySignature } from '../notify/signature.ts';
import { createSmtpSender } from '../notify/smtp.ts';

/**
 * `hqwatch notify test CHANNEL --config FILE`: sends a test message on one channel of a config,
 * from this machine, and says how it went (exit 0), or why not (exit 1; 2 for a refused config).
 * Secrets come from the environment as `serve` would read them, and are never printed.
 */
export async function runNotifyTest(opts: { configFile: string; channel: string; env?: Env }): Promise<number> {
  const env = opts.env ?? process.env;
  const loaded = await loadConfigFile(opts.configFile, env);
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${e.path === '(file)' ? '' : `${e.path}: `}${e.message}\n`);
    return 2;
  }
  const { config } = loaded;
  const channel = config.notify.channels.find((c) => c.id === opts.channel);
  if (!channel) {
    const known = config.notify.channels.map((c) => c.id);
    process.stderr.write(
      `hqwatch: no channel "${opts.channel}" in ${opts.configFile}${known.length ? ` (channels: ${known.join(', ')})` : ' (it has no notify.channels)'}\n`,
    );
    return 1;
  }
  const resolved = resolveChannel(channel, env);
  const smtp = createSmtpSender();
  const message = testMessage(channel.id, new Date().toISOString(), config.http.publicUrl ?? null);
  const timeoutMs = channel.timeout ?? config.notify.delivery.timeout;
  try {
    const result = await deliver(resolved, message, { timeoutMs, nowMs: Date.now, smtp });
    if (result.ok && resolved.kind === 'pagerduty')
      await deliver(resolved, { ...message, seq: 2, status: 'resolve' }, { timeoutMs, nowMs: Date.now, smtp });
    if (result.ok) {
      process.stdout.write(`${channel.id} (${channel.kind}): test message delivered${result.status ? ` (HTTP ${result.status})` : ''}\n`);
      return 0;
    }
    process.stderr.write(`${channel.id} (${channel.kind}): not delivered: ${scrub(result.error, channelSecrets(resolved))}\n`);
    return 1;
  } finally {
    smtp.close();
  }
}

/**
 * `hqwatch notify receive [--port 9099] [--secret S]`: a webhook receiver for trying alerts out,
 * printing each message it gets, and whether its signature verifies when given the secret.
 */
export async function runNotifyReceive(opts: {
  host: string;
  port: number;
  secret?: string;
}): Promise<{ close(): Promise<void> } | number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
      const signed =
        opts.secret === undefined
          ? 'not checked (no --secret)'
          : verifySignature(body, String(header ?? ''), opts.secret, Date.now())
            ? 'valid'
            : 'INVALID';
      let line: string;
      try {
        const m = JSON.parse(body) as { status?: string; event?: string; title?: string; dedupKey?: string; details?: string[] };
        line = `${(m.status ?? '?').toUpperCase()} ${m.event ?? '?'}: ${m.title ?? ''}  [${m.dedupKey ?? ''}] signature ${signed}`;
        for (const detail of m.details ?? []) line += `\n    ${detail}`;
      } catch {
        line = `not JSON (${body.length} bytes), signature ${signed}`;
      }
      process.stdout.write(`${new Date().toISOString()} ${req.method} ${req.url} ${line}\n`);
      res.writeHead(opts.secret !== undefined && signed === 'INVALID' ? 401 : 200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => resolve());
    });
  } catch (err) {
    process.stderr.write(`hqwatch: cannot listen on ${opts.host}:${opts.port}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  process.stdout.write(
    `hqwatch notify receive: listening on http://${opts.host}:${opts.port}/hook — configure a webhook channel with this url\n`,
  );
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
