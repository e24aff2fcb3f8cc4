/**
 * kill -9 with alerts in the outbox (octet 34), on both backends: `hqwatch serve` in a child
 * process records a failover's trigger while the webhook receiver is down, is killed with SIGKILL,
 * and started again once the receiver is back: the trigger is delivered after the restart, once.
 * Killed again after that, a third life resolves the thread the first one opened.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LiveState, NotifyOverview } from '@hqwatch/shared';
import { labConfig, smallTopology, startLab, type Lab } from '../src/lab/index.ts';
import { eventually } from './support/app.ts';
import { getJson as json, serveProcess as serve, type ServeProcess as Server } from './support/serve-process.ts';
import { startHttpReceiver, type HttpReceiver } from './support/receivers.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';

const OCTET = 34;
const SECRET = 'kill-test-secret-16+';

describeStores('kill -9 with alerts in the outbox', (backend) => {
  let lab: Lab;
  let place: StorePlace;
  let configFile: string;
  let dataDir: string;
  let receiver: HttpReceiver;
  let server: Server | null = null;

  beforeAll(async () => {
    place = await backend.place();
    dataDir = path.join(place.dataDir, 'data');
    const topology = smallTopology(OCTET);
    lab = await startLab(topology);
    receiver = await startHttpReceiver(`127.${OCTET}.0.250`);
    await receiver.down();
    const settings = { intervalMs: 300, timeoutMs: 250, failAfter: 2, recoverAfter: 2, expectedWindow: { minMs: 5_000, maxMs: 60_000 } };
    const notify = {
      channels: [{ id: 'ops', kind: 'webhook', url: `${receiver.url}/hook`, secret: SECRET }],
      routes: [{ channels: ['ops'] }],
      delivery: { firstRetry: '200ms', maxRetry: '1s' },
    };
    configFile = path.join(place.dataDir, 'hqwatch.yaml');
    writeFileSync(configFile, JSON.stringify({ ...labConfig(topology, lab, settings), store: place.configStore, notify }));
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await receiver?.close();
    await lab?.close();
    await place?.cleanup();
  });

  async function kill(): Promise<void> {
    server!.child.kill('SIGKILL');
    expect(await server!.exited).toBeNull();
  }

  it('sends after the restart what the killed one had committed, once; a later life resolves it', async () => {
    server = await serve(configFile, dataDir);
    const first = server.url;
    await eventually(async () => (await json<LiveState>(`${first}/api/state`)).hq.state === 'primary-active', 20_000, 'primary-active');

    await lab.setState('primary', 'stopped');
    // The trigger is committed with the window, and waits: the receiver is down.
    const pending = await eventually(
      async () => {
        const overview = await json<NotifyOverview>(`${first}/api/notify`);
        return overview.pending > 0 && overview.channels[0]!.counters.retries > 0 && overview;
      },
      20_000,
      'a pending delivery that failed once',
    );
    expect(pending.channels[0]).toMatchObject({ id: 'ops', pending: 1 });
    await kill();

    await receiver.up();
    server = await serve(configFile, dataDir);
    const second = server.url;
    const [delivered] = await receiver.waitFor(1, 20_000);
    const trigger = delivered!.json as { id: string; status: string; event: string; dedupKey: string };
    expect(trigger).toMatchObject({ status: 'trigger', event: 'window.opened' });
    await eventually(async () => (await json<NotifyOverview>(`${second}/api/notify`)).pending === 0, 10_000, 'marked sent');
    await kill();

    server = await serve(configFile, dataDir);
    const third = server.url;
    await lab.setState('primary', 'serving');
    await eventually(() => receiver.received.some((r) => (r.json as { status: string }).status === 'resolve'), 30_000, 'the resolve');
    await eventually(async () => (await json<NotifyOverview>(`${third}/api/notify`)).pending === 0, 10_000, 'nothing pending');
    const messages = receiver.received.map((r) => r.json as { id: string; status: string; dedupKey: string });
    // Once each: the trigger was not sent again by the later lives.
    expect(messages.filter((m) => m.id === trigger.id)).toHaveLength(1);
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
    expect(messages.at(-1)).toMatchObject({ status: 'resolve', dedupKey: trigger.dedupKey });
    expect(messages.every((m) => m.dedupKey === trigger.dedupKey)).toBe(true);
  }, 90_000); // three cold starts of `hqwatch serve` and a kill -9
});
