/**
 * Real receivers on loopback standing in for Slack, Teams, PagerDuty, a webhook and a mail server:
 * an HTTP server that records every request (raw body, headers) and answers as the test says
 * (status, a delay, Retry-After, down and back up on the same port), and an SMTP server
 * (`smtp-server`) whose mails are parsed by `mailparser`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: number;
}

export interface Answer {
  status?: number;
  delayMs?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpReceiver {
  url: string;
  port: number;
  received: Received[];
  /** How the next requests are answered (in turn; the last one repeats); 200 by default. */
  answer(...answers: Answer[]): void;
  /** Stops listening: connections are refused until `up`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startHttpReceiver(host = '127.0.0.1', port = 0): Promise<HttpReceiver> {
  const received: Received[] = [];
  let answers: Answer[] = [{ status: 200 }];
  const waiters: (() => void)[] = [];
  let server: Server | null = null;
  const sockets = new Set<import('node:net').Socket>();
  const listen = (p: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(body);
          } catch {
            // not JSON: kept raw
          }
          received.push({ path: req.url ?? '', headers: req.headers, body, json, at: Date.now() });
          for (const w of waiters.splice(0)) w();
          const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
          const reply = () => {
            if (res.destroyed) return;
            res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
            res.end(answer.body ?? 'ok');
          };
          if (answer.delayMs) setTimeout(reply, answer.delayMs);
          else reply();
        });
      });
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(p, host, () => resolve(s));
    });
  server = await listen(port);
  const actualPort = (server.address() as AddressInfo).port;
  const stop = async () => {
    if (!server) return;
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    received,
    answer: (...next) => void (answers = next.length ? next : [{ status: 200 }]),
    down: stop,
    async up() {
      if (!server) server = await listen(actualPort);
    },
    waitFor(n, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${n} requests (got ${received.length})`)), timeoutMs);
        const check = () => {
          if (received.length >= n) {
            clearTimeout(deadline);
            resolve(received.slice());
          } else waiters.push(check);
        };
        check();
      });
    },
    close: stop,
  };
}

export interface SmtpReceiver {
  port: number;
  mails: ParsedMail[];
  /** The envelopes: who logged in, from and to whom. */
  envelopes: { user: string | null; from: string; to: string[]; secure: boolean }[];
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  host?: string;
  /** A login is wanted (and STARTTLS offered, with smtp-server's own self-signed certificate). */
  auth?: { user: string; pass: string };
  /** Implicit TLS (port 465 style): TLS from the first byte, with this certificate. */
  tls?: { key: string; cert: string };
  /** Without `auth`: offer STARTTLS all the same (a relay a client may choose not to upgrade with). */
  offerStartTls?: boolean;
}

/**
 * An SMTP server that wants STARTTLS (with smtp-server's own self-signed certificate) and a login
 * when `auth` is given; without, it takes plain mail from anyone (a relay). With `tls` it speaks
 * TLS from the start.
 */
export async function startSmtpReceiver(opts: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const host = opts.host ?? '127.0.0.1';
  const mails: ParsedMail[] = [];
  const envelopes: SmtpReceiver['envelopes'] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    ...(opts.tls && { secure: true, key: opts.tls.key, cert: opts.tls.cert }),
    authOptional: !opts.auth,
    disabledCommands: opts.auth ? [] : opts.offerStartTls || opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          envelopes.push({
            user: typeof session.user === 'string' ? session.user : null,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            secure: session.secure,
          });
          for (const w of waiters.splice(0)) w();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    envelopes,
    waitFor(n, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${n} mails (got ${mails.length})`)), timeoutMs);
        const check = () => {
          if (mails.length >= n) {
            clearTimeout(deadline);
            resolve(mails.slice());
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
