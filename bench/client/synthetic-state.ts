import {
  CONTRACT_VERSION,
  computeImpact,
  SERVICE_KEYS,
  siteDirectory,
  type HqState,
  type SiteDirectory,
  type HqwatchConfig,
  type LiveState,
  type NodeView,
  type ServiceKey,
} from '@hqwatch/shared';
import { syntheticConfig } from '../server/synthetic-topology.ts';

const MINUTE = 60_000;

function node(id: string, name: string, role: NodeView['role'], address: string, serving: boolean, at: string, seed: number): NodeView {
  const latency = serving ? 1 + ((seed * 7) % 23) / 3 : null;
  return {
    id,
    name,
    address,
    role,
    status: serving ? 'serving' : 'down',
    flapping: false,
    since: at,
    probes: [
      { kind: 'tcp', target: `${address}:4308`, ok: serving, latencyMs: latency, ...(serving ? {} : { error: 'connection refused' }) },
      {
        kind: 'sip',
        target: `${address}:5441`,
        ok: serving,
        latencyMs: latency === null ? null : latency + 0.4,
        ...(serving ? {} : { error: 'timeout' }),
      },
    ],
  };
}

const configs = new Map<number, HqwatchConfig>();
/** The synthetic topology of `sites` sites (a fifth homed on HQ, 20 distributed servers), made once. */
function configOf(sites: number): HqwatchConfig {
  let config = configs.get(sites);
  if (!config) configs.set(sites, (config = syntheticConfig(sites)));
  return config;
}

/** `GET /api/sites` of the synthetic topology: the wall groups its map by it. */
export function syntheticDirectory(sites: number): SiteDirectory {
  return siteDirectory(configOf(sites));
}

/**
 * A LiveState of `sites` sites at `nowMs`, either normal (primary active) or failing over since
 * `windowStartMs`, with every distributed server down or not. Deterministic, so two calls with the same arguments give equal states.
 */
export function syntheticState(sites: number, seq: number, nowMs: number, failing: { since: number } | null, dvsDown = false): LiveState {
  const at = new Date(nowMs).toISOString();
  const hqState: HqState = failing ? 'failing-over' : 'primary-active';
  const config = configOf(sites);
  // The sites as the impact engine words them: reasons are codes the dashboard renders.
  const health = Object.fromEntries(
    ['primary', 'secondary', ...config.servers.map((s) => s.id)].map((id) => [
      id,
      {
        status:
          id === 'secondary' || (id === 'primary' && failing) || (dvsDown && id !== 'primary') ? ('down' as const) : ('serving' as const),
        flapping: false,
      },
    ]),
  );
  const activeAddress = failing ? null : '127.0.0.10';
  const siteViews = computeImpact({ config, hq: { state: hqState }, nodes: health }).sites.map((site) => ({
    ...site,
    callManagerAddress: activeAddress,
  }));
  const count = (key: ServiceKey) => {
    const down = siteViews.filter((s) => s.services[key].status === 'down');
    return { sites: down.length, users: down.length ? down.length * 40 : null };
  };
  return {
    contractVersion: CONTRACT_VERSION,
    seq,
    at,
    hq: {
      state: hqState,
      since: failing ? new Date(failing.since).toISOString() : at,
      activeAddress,
      window: failing
        ? {
            kind: 'failover',
            startedAt: new Date(failing.since).toISOString(),
            elapsedMs: nowMs - failing.since,
            expectedMinMs: 5 * MINUTE,
            expectedMaxMs: 20 * MINUTE,
            overrun: false,
          }
        : null,
      targetAddress: failing ? '127.0.0.11' : null,
      cause: null,
      standby: 'ready',
      standbyId: 'secondary',
    },
    nodes: [
      node('primary', 'HQ primary', 'hq-primary', '127.0.0.10', !failing, at, seq),
      node('secondary', 'HQ secondary', 'hq-secondary', '127.0.0.11', false, at, seq + 1),
      ...config.servers.map((server, k) => node(server.id, server.name, 'distributed', `127.0.1.${k + 1}`, !dvsDown, at, seq + k)),
    ],
    sites: siteViews,
    incident: failing ? { id: 'inc-bench', startedAt: new Date(failing.since).toISOString() } : null,
    monitor: { healthy: true, intervalMs: 1000 },
    impact: {
      sitesImpacted: siteViews.filter((s) => SERVICE_KEYS.some((k) => s.services[k].status === 'down')).length,
      telephony: count('telephony'),
      voicemail: count('voicemail'),
      drsIntersite: count('drsIntersite'),
      globalServicesDown: !!failing,
    },
  };
}
