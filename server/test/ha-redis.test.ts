/**
 * Web nodes on Redis, as real processes: a leader (`ha`, `fanout`) and a web node (`serve --role
 * web`) whose Redis is reached through a TCP proxy the test controls. Dashboards on either node see
 * the same seq sequence (deltas through the Redis Streams adapter). Redis "restarted" under the web
 * node (every connection reset, new ones refused, then back): the node says it is cut off (health,
 * `/api/cluster`), and once Redis is back its dashboards converge to the leader's state within 1 s.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveState } from '@hqwatch/shared';
import { labConfig, smallTopology, startLab, type Lab } from '../src/lab/index.ts';
import { eventually } from './support/app.ts';
import { followSeq, type SeqFollower } from './support/seq-follower.ts';
import { getJson, serveProcess, type ClusterView, type ServeProcess } from './support/serve-process.ts';
import { checkService, postgresSchema, SERVICES, type PostgresSchema } from './support/services.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const postgres = await checkService('postgres');
const redis = postgres.available ? await checkService('redis') : postgres;
const OCTET = 143;
const INTERVAL = 300;

describe.skipIf(!postgres.available || !redis.available)('web nodes on Redis', () => {
  let lab: Lab;
  let schema: PostgresSchema;
  let proxy: TcpProxy;
  let dir: string;
  const servers: ServeProcess[] = [];
  const followers: SeqFollower[] = [];

  beforeAll(async () => {
    schema = postgresSchema();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: SERVICES.redis.port });
    dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-ha-redis-'));
    const topology = smallTopology(OCTET);
    lab = await startLab(topology);
    const settings = {
      intervalMs: INTERVAL,
      timeoutMs: 250,
      failAfter: 2,
      recoverAfter: 2,
      expectedWindow: { minMs: 5_000, maxMs: 60_000 },
    };
    // A prefix of its own: the shared Redis never mixes two tests' keys.
    const prefix = `hqwatch_test_${randomBytes(4).toString('hex')}`;
    const base = { ...labConfig(topology, lab, settings), store: { kind: 'postgres', url: schema.url() } };
    writeFileSync(
      path.join(dir, 'leader.yaml'),
      JSON.stringify({
        ...base,
        ha: { instance: 'leader', heartbeat: '500ms', lease: '3s' },
        fanout: { redis: 'redis://127.0.0.1:6379', prefix },
      }),
    );
    writeFileSync(
      path.join(dir, 'web.yaml'),
      JSON.stringify({
        ...base,
        ha: { instance: 'web-1' },
        fanout: { redis: `redis://127.0.0.1:${proxy.port}`, prefix, websocketOnly: true },
      }),
    );
  });

  afterAll(async () => {
    for (const f of followers) f.close();
    await Promise.all(servers.map((s) => s.kill()));
    await proxy?.close();
    await lab?.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'dashboards on both nodes see one seq sequence; a Redis restart under the web node is said, and its dashboards converge within 1 s of reconnection',
    { timeout: 60_000 },
    async () => {
      const leader = await serveProcess(path.join(dir, 'leader.yaml'), path.join(dir, 'leader'));
      servers.push(leader);
      await eventually(async () => (await getJson<ClusterView>(`${leader.url}/api/cluster`)).role === 'leader', 10_000, 'leading');
      const web = await serveProcess(path.join(dir, 'web.yaml'), path.join(dir, 'web'), ['--role', 'web']);
      servers.push(web);
      const webView = await getJson<ClusterView>(`${web.url}/api/cluster`);
      expect(webView).toMatchObject({ role: 'web', leader: 'leader', cutOff: null, fanout: { ok: true } });
      await eventually(
        async () => (await getJson<LiveState>(`${web.url}/api/state`)).hq.state === 'primary-active',
        15_000,
        'the web node serves the state',
      );

      const onLeader = await followSeq(leader.url);
      const onWeb = await followSeq(web.url);
      followers.push(onLeader, onWeb);
      await lab.setState('primary', 'stopped');
      await eventually(() => onWeb.applied.length >= 12 && onLeader.applied.length >= 12, 15_000, 'deltas on both nodes');
      // The same seqs, in the same order, on either node.
      const common = onWeb.applied.filter((seq) => onLeader.applied.includes(seq));
      expect(common.length).toBeGreaterThanOrEqual(10);
      const from = onLeader.applied.indexOf(common[0]!);
      expect(onLeader.applied.slice(from, from + common.length)).toEqual(common);
      expect(common).toEqual(onWeb.applied.slice(onWeb.applied.indexOf(common[0]!), onWeb.applied.indexOf(common[0]!) + common.length));

      // Redis restarted, as the web node sees it: connections reset, none accepted for a while.
      proxy.refuse();
      await eventually(async () => (await getJson<ClusterView>(`${web.url}/api/cluster`)).fanout?.ok === false, 5_000, 'cut off');
      const cut = await getJson<ClusterView>(`${web.url}/api/cluster`);
      expect(cut.cutOff).toMatch(/Redis/);
      const health = await getJson<{ status: string; reason?: string }>(`${web.url}/api/health`);
      expect(health).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/cut off/) });
      // Meanwhile the failover goes on at the leader.
      await lab.setState('secondary', 'serving');
      await eventually(
        async () => (await getJson<LiveState>(`${leader.url}/api/state`)).hq.state === 'secondary-active',
        15_000,
        'secondary-active at the leader',
      );
      await new Promise((r) => setTimeout(r, 1_000));
      const heldWhileCut = onWeb.held();
      expect((await getJson<LiveState>(`${leader.url}/api/state`)).seq).toBeGreaterThan(heldWhileCut);

      proxy.heal();
      const backAt = await eventually(
        async () => ((await getJson<ClusterView>(`${web.url}/api/cluster`)).fanout?.ok ? performance.now() : undefined),
        10_000,
        'Redis back',
      );
      const target = (await getJson<LiveState>(`${leader.url}/api/state`)).seq;
      await eventually(() => onWeb.held() >= target, 1_000, "the web node's dashboard at the leader's seq");
      const convergedMs = performance.now() - backAt;
      expect((await getJson<LiveState>(`${web.url}/api/state`)).hq.state).toBe('secondary-active');
      console.log(`Redis back: the web node's dashboard at the leader's state ${convergedMs.toFixed(0)} ms after reconnection`);
    },
  );
});
