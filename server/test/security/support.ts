/**
 * Raw HTTP and engine.io clients for the security suite: they send what an attacker would, byte for
 * byte, without socket.io-client's manners (any Origin or Host, any frame, thousands at once).
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { WebSocket } from 'ws';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with exactly the headers given (Host included), over a fresh connection. */
export function rawRequest(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number; localAddress?: string } = {},
): Promise<RawResponse> {
  // The path is sent as written (no URL parsing: `//etc/passwd` and `%2e%2e` must reach the server as they are).
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: init.method ?? 'GET',
        headers: { connection: 'close', ...init.headers },
        agent: false,
        timeout: init.timeoutMs ?? 10_000,
        ...(init.localAddress ? { localAddress: init.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} within ${init.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Engine.io packets in one polling payload are separated by the record separator. */
export const SEPARATOR = '\x1e';

/** Opens an engine.io session over polling: the session id, or the refusal. */
export async function pollingHandshake(
  base: string,
  headers: Record<string, string> = {},
  query = '',
  localAddress?: string,
): Promise<{ sid: string } | { refused: RawResponse }> {
  const res = await rawRequest(base, `/socket.io/?EIO=4&transport=polling${query}`, { headers, localAddress });
  if (res.status !== 200 || !res.body.startsWith('0')) return { refused: res };
  return { sid: (JSON.parse(res.body.slice(1)) as { sid: string }).sid };
}

/** A polling session: POSTs payloads and GETs what the server sends. */
export function pollingSession(base: string, sid: string, headers: Record<string, string> = {}, localAddress?: string) {
  const path = `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;
  return {
    post: (payload: string | Buffer) =>
      rawRequest(base, path, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
        body: payload,
        localAddress,
      }),
    get: (timeoutMs = 10_000) => rawRequest(base, path, { headers, timeoutMs, localAddress }),
  };
}

export interface RawSocket {
  ws: WebSocket;
  /** Every text frame received, in order. */
  frames: string[];
  bytesReceived: number;
  closed: Promise<{ code: number }>;
  send(frame: string | Buffer): void;
  /** Resolves with the first frame (from now or already received) that `match` accepts. */
  waitFor(match: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}

/**
 * A raw engine.io WebSocket (`transport=websocket`, optionally upgrading an existing `sid`). Pings
 * are answered so the server keeps it; nothing else is done on its behalf. Resolves once open, or
 * rejects with the HTTP status of a refused upgrade.
 */
export function rawWebSocket(
  base: string,
  opts: { headers?: Record<string, string>; sid?: string; answerPings?: boolean; localAddress?: string } = {},
): Promise<RawSocket> {
  const url = `${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket${opts.sid ? `&sid=${encodeURIComponent(opts.sid)}` : ''}`;
  const ws = new WebSocket(url, {
    headers: opts.headers,
    perMessageDeflate: false,
    ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
  });
  const frames: string[] = [];
  const waiters = new Set<{ match: (f: string) => boolean; resolve: (f: string) => void }>();
  const raw: RawSocket = {
    ws,
    frames,
    bytesReceived: 0,
    closed: new Promise((resolve) => ws.on('close', (code) => resolve({ code }))),
    send: (frame) => ws.send(frame),
    waitFor(match, timeoutMs = 10_000) {
      const seen = frames.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (f: string) => {
            clearTimeout(timer);
            resolve(f);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching frame within ${timeoutMs} ms (last: ${frames.at(-1)?.slice(0, 80) ?? 'none'})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => ws.terminate(),
  };
  ws.on('message', (data: Buffer, isBinary) => {
    raw.bytesReceived += data.length;
    const text = isBinary ? `<binary ${data.length}>` : data.toString('utf8');
    // Big answers are kept as a marker: a flood test receives hundreds of megabytes.
    const kept = text.length > 4096 ? `${text.slice(0, 64)}…<${text.length} bytes>` : text;
    frames.push(kept);
    if (frames.length > 10_000) frames.splice(0, 5_000);
    if (opts.answerPings !== false && text === '2') ws.send('3');
    for (const w of waiters) {
      if (w.match(kept)) {
        waiters.delete(w);
        w.resolve(kept);
      }
    }
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(raw));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(new Error(`upgrade refused: HTTP ${res.statusCode} ${body}`)));
      res.on('error', () => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    ws.once('error', reject);
  });
}

/** A raw WebSocket that has joined the default namespace (`40` answered). */
export async function connectedSocket(base: string, headers: Record<string, string> = {}, localAddress?: string): Promise<RawSocket> {
  const socket = await rawWebSocket(base, { headers, localAddress });
  await socket.waitFor((f) => f.startsWith('0{'));
  socket.send('40');
  await socket.waitFor((f) => f.startsWith('40'));
  return socket;
}

/** Waits until `check` holds, polling every 20 ms, or throws naming `what`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
