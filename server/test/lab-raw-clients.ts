/**
 * Plain net/dgram/http clients for the lab tests: they check what a simulated server answers
 * without going through hqwatch's own probes. Every socket stays on loopback.
 */
import { connect, type Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { request } from 'node:http';

export type TcpOutcome =
  { kind: 'refused' } | { kind: 'data'; text: string; ms: number } | { kind: 'closed'; ms: number } | { kind: 'silent' };

/** Connects, reads until the server closes; `silent` when nothing arrives within `waitMs`. */
export function tcpExchange(host: string, port: number, waitMs = 1_000): Promise<TcpOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host, port, localAddress: '127.0.0.1' });
    let text = '';
    const finish = (outcome: TcpOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(text ? { kind: 'data', text, ms: performance.now() - started } : { kind: 'silent' }), waitMs);
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('end', () =>
      finish(text ? { kind: 'data', text, ms: performance.now() - started } : { kind: 'closed', ms: performance.now() - started }),
    );
    socket.on('error', (err: NodeJS.ErrnoException) =>
      finish(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'closed', ms: 0 }),
    );
  });
}

/** Resolves once connected (or rejects), leaving the socket open. */
export function tcpOpen(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, localAddress: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

export type HttpOutcome =
  | { kind: 'response'; status: number; body: string; headers: Record<string, unknown>; ms: number }
  | { kind: 'error'; code: string }
  | { kind: 'silent' };

export function httpGet(url: string, waitMs = 1_000): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(url, { agent: false, localAddress: '127.0.0.1' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () =>
        finish({ kind: 'response', status: res.statusCode ?? 0, body, headers: res.headers, ms: performance.now() - started }),
      );
      res.on('error', () => finish({ kind: 'error', code: 'ERESPONSE' }));
    });
    const finish = (outcome: HttpOutcome) => {
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'silent' }), waitMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'error', code: err.code ?? err.message }));
    req.end();
  });
}

export function sipOptionsRequest(host: string, port: number, callId: string, localPort: number): string {
  return [
    `OPTIONS sip:${host}:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${localPort};branch=z9hG4bK${callId}`,
    'Max-Forwards: 70',
    `From: <sip:hqwatch@127.0.0.1>;tag=${callId}f`,
    `To: <sip:${host}:${port}>`,
    `Call-ID: ${callId}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export type SipOutcome =
  { kind: 'response'; status: number; text: string; ms: number; request: string } | { kind: 'refused' } | { kind: 'silent' };

/** Sends one OPTIONS from 127.0.0.1 on a connected socket, so a closed port shows as refused. */
export function sipOptions(host: string, port: number, waitMs = 1_000): Promise<SipOutcome> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const callId = Math.random().toString(36).slice(2, 12);
    let started = 0;
    let sent = '';
    const finish = (outcome: SipOutcome) => {
      clearTimeout(timer);
      socket.close();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'silent' }), waitMs);
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'silent' }));
    socket.on('message', (msg) => {
      const text = msg.toString('utf8');
      finish({
        kind: 'response',
        status: Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0),
        text,
        ms: performance.now() - started,
        request: sent,
      });
    });
    socket.bind(0, '127.0.0.1', () => {
      socket.connect(port, host, () => {
        sent = sipOptionsRequest(host, port, callId, socket.address().port);
        started = performance.now();
        socket.send(sent);
      });
    });
  });
}

/** Polls `check` until it returns true, failing after `deadlineMs`. */
export async function until(check: () => boolean | Promise<boolean>, deadlineMs = 5_000, what = 'condition'): Promise<void> {
  const end = performance.now() + deadlineMs;
  while (performance.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
}
