/**
 * Concurrent HTTP requests from several local addresses, run as a child process of
 * `history-flood.test.ts` so the attack's own work never shares the event loop the test measures.
 * Each wave sends `perAddress` requests at once from every address and waits for all the answers.
 * Prints one JSON line: the status of every request.
 *
 * Usage: node --import tsx request-burst.ts '{"url":"http://127.0.0.1:PORT","paths":["/api/…"],"addresses":["127.25.1.1"],"perAddress":25,"waves":3}'
 */
import { request } from 'node:http';

interface Options {
  url: string;
  paths: string[];
  addresses: string[];
  perAddress: number;
  waves: number;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as Options;

function get(path: string, localAddress: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${opts.url}${path}`, { agent: false, localAddress, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

const statuses: number[] = [];
for (let wave = 0; wave < opts.waves; wave++) {
  const answers = await Promise.all(
    opts.addresses.flatMap((address) =>
      Array.from({ length: opts.perAddress }, (_, i) => get(opts.paths[i % opts.paths.length]!, address)),
    ),
  );
  statuses.push(...answers);
}
process.stdout.write(`${JSON.stringify({ statuses })}\n`);
process.exit(0);
