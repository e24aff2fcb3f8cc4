/**
 * `hqwatch demo` (what `npm start` runs) alerts out of the box (octet 36): it says where its
 * webhook alerts go and how to watch them, and its failover-failback loop makes trigger → update →
 * resolve on that webhook, each signed with the demo's secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_WEBHOOK } from '../src/commands/demo.ts';
import { verifySignature } from '../src/notify/signature.ts';
import { eventually } from './support/app.ts';
import { startHttpReceiver, type HttpReceiver } from './support/receivers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OCTET = 36;

let receiver: HttpReceiver;
let child: ChildProcess;
let exited: Promise<unknown>;
const logs: string[] = [];
const dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-demo-notify-'));

beforeAll(async () => {
  receiver = await startHttpReceiver(`127.${OCTET}.0.250`);
  child = spawn(
    process.execPath,
    [
      'bin/hqwatch.mjs',
      'demo',
      ...['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--octet', String(OCTET), '--control-port', '0'],
      ...['--speed', '150', '--notify', `${receiver.url}/hook`],
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HQWATCH_LOG_LEVEL: 'info' } },
  );
  exited = new Promise((resolve) => child.on('exit', resolve));
  child.stdout!.on('data', (c: Buffer) => logs.push(...String(c).split('\n')));
  child.stderr!.on('data', (c: Buffer) => logs.push(String(c)));
});

afterAll(async () => {
  child.kill('SIGTERM');
  await exited;
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('says where its alerts go, and its failover loop makes trigger → update → resolve there', async () => {
  const said = await eventually(() => logs.find((l) => l.includes('"msg":"alerts: every trigger')), 30_000, 'the alerts line');
  const entry = JSON.parse(said) as { webhook: string; receiver: string };
  expect(entry.webhook).toBe(`${receiver.url}/hook`);
  expect(entry.receiver).toBe(`npx hqwatch notify receive --port ${receiver.port} --secret ${DEMO_WEBHOOK.secret}`);

  const statuses = () => receiver.received.map((r) => (r.json as { status: string }).status);
  await eventually(() => statuses().includes('resolve'), 60_000, 'a resolve');
  const [trigger] = receiver.received.map((r) => r.json as { status: string; event: string; dedupKey: string });
  expect(trigger).toMatchObject({ status: 'trigger', event: 'window.opened' });
  const thread = receiver.received
    .map((r) => r.json as { status: string; dedupKey: string })
    .filter((m) => m.dedupKey === trigger!.dedupKey);
  expect(thread.map((m) => m.status)).toEqual(['trigger', ...thread.slice(1, -1).map(() => 'update'), 'resolve']);
  expect(thread.length).toBeGreaterThanOrEqual(3);
  for (const r of receiver.received)
    expect(verifySignature(r.body, String(r.headers['x-hqwatch-signature']), DEMO_WEBHOOK.secret, Date.now())).toBe(true);
});
