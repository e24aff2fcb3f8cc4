/**
 * The `state:sync` flood, run as a child process of `sync-flood.test.ts` so the attack's own work
 * never shares the event loop the test measures. Several raw WebSocket sockets send `state:sync`
 * frames back to back, several polling sockets send POSTs packed with syncs (the largest the server
 * allows, after a 1 MB one as the old default allowed), one socket asks and never reads; every
 * socket reconnects when dropped. Prints one JSON line of counts when the time is up.
 *
 * Usage: node --import tsx flood-client.ts '{"url":"http://127.0.0.1:PORT","ms":8000,"ws":4,"polling":2}'
 */
import { request } from 'node:http';
import { WebSocket } from 'ws';

interface Options {
  url: string;
  ms: number;
  ws: number;
  polling: number;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
const deadline = Date.now() + opts.ms;
const counts = { syncsSent: 0, answers: 0, bytesReceived: 0, connections: 0, refusedPosts: 0, bigPostStatus: 0 };
const SYNC = '421["state:sync"]';

function live(): boolean {
  return Date.now() < deadline;
}

function wsFlooder(reads: boolean): Promise<void> {
  return new Promise((resolve) => {
    if (!live()) return resolve();
    counts.connections += 1;
    const ws = new WebSocket(`${opts.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    let timer: NodeJS.Timeout | undefined;
    ws.on('message', (data: Buffer) => {
      counts.bytesReceived += data.length;
      const text = data.subarray(0, 3).toString();
      if (text.startsWith('0')) ws.send('40');
      else if (text === '2') ws.send('3');
      else if (text.startsWith('40')) {
        // Joined: from now on, as many syncs as the socket will take, in bursts.
        if (!reads) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
        timer = setInterval(() => {
          if (!live()) return ws.terminate();
          for (let i = 0; i < 500 && ws.bufferedAmount < 1_000_000; i++) {
            ws.send(SYNC);
            counts.syncsSent += 1;
          }
        }, 20);
      } else if (text.startsWith('43')) counts.answers += 1;
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearInterval(timer);
      setTimeout(() => void wsFlooder(reads).then(resolve), 10);
    });
  });
}

function post(path: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      `${opts.url}${path}`,
      { method: 'POST', agent: false, headers: { 'content-type': 'text/plain;charset=UTF-8' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(`${opts.url}${path}`, { agent: false }, (res) => {
      let length = 0;
      let head = '';
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (head.length < 64) head += chunk.toString('utf8', 0, 64);
      });
      res.on('end', () => {
        counts.bytesReceived += length;
        resolve({ status: res.statusCode ?? 0, body: head });
      });
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** Syncs packed in one payload of at most `bytes`. */
function packed(bytes: number): { body: string; syncs: number } {
  const syncs = Math.floor((bytes + 1) / (SYNC.length + 1));
  return { body: Array.from({ length: syncs }, () => SYNC).join('\x1e'), syncs };
}

async function pollingFlooder(first: boolean): Promise<void> {
  while (live()) {
    counts.connections += 1;
    const open = await get('/socket.io/?EIO=4&transport=polling');
    if (open.status !== 200) continue;
    const sid = (/"sid":"([^"]+)"/.exec(open.body) ?? [])[1];
    if (!sid) continue;
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    if ((await post(path, '40')) !== 200) continue;
    await get(path);
    if (first) {
      // What the 1 MB default allowed: 50,000 syncs in one POST.
      counts.bigPostStatus = await post(path, packed(1_000_000).body);
      counts.syncsSent += packed(1_000_000).syncs;
      first = false;
      continue;
    }
    // Read what comes back while posting, as a browser would.
    let reading = true;
    const reader = (async () => {
      while (reading && live()) {
        const answer = await get(path);
        if (answer.status !== 200) break;
        if (answer.body.includes('43')) counts.answers += 1;
      }
      reading = false;
    })();
    const { body, syncs } = packed(4 * 1024 - 16);
    while (reading && live()) {
      const status = await post(path, body);
      if (status !== 200) {
        counts.refusedPosts += 1;
        break;
      }
      counts.syncsSent += syncs;
    }
    reading = false;
    await reader;
  }
}

await Promise.all([
  ...Array.from({ length: opts.ws }, () => wsFlooder(true)),
  wsFlooder(false),
  ...Array.from({ length: opts.polling }, (_, i) => pollingFlooder(i === 0)),
]);
process.stdout.write(`${JSON.stringify(counts)}\n`);
process.exit(0);
