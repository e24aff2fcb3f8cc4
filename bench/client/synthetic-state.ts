import {
  CONTRACT_VERSION,
  SERVICE_KEYS,
  type HqState,
  type LiveState,
  type NodeView,
  type ServiceKey,
  type ServiceState,
  type SiteView,
} from '@hqwatch/shared';

/** The largest topology: the HQ pair, 19 distributed servers, 500 sites. */
export const DISTRIBUTED = 19;

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

function service(status: ServiceState['status'], reason: string): ServiceState {
  return { status, reason };
}

/** Site `i`: a third homed on HQ, the rest on a distributed server; voicemail and DRS follow. */
function site(i: number, hqServing: boolean): SiteView {
  const homedOnHq = i % 3 === 0;
  const server = homedOnHq ? 'HQ' : `DVS ${(i % DISTRIBUTED) + 1}`;
  const name = `Site ${String(i + 1).padStart(3, '0')}`;
  const local = homedOnHq && !hqServing ? 'down' : 'ok';
  const services = {} as Record<ServiceKey, ServiceState>;
  for (const key of SERVICE_KEYS) services[key] = service('ok', `${key} for ${name} runs through ${server}, which is serving`);
  services.telephony = service(local, `Telephony for ${name} runs through ${server}, which is ${hqServing ? 'serving' : 'failing over'}`);
  services.video = service(local, `Video for ${name} runs through ${server}`);
  services.voicemail = service(local, `Voicemail for ${name} is routed through ${server}`);
  services.drsIntersite = service(
    homedOnHq && !hqServing && i % 2 === 0 ? 'down' : 'ok',
    `Intersite calls for ${name} reach DRS through ${server}`,
  );
  for (const key of ['configChanges', 'accountCodes', 'workgroups'] as const) {
    services[key] = service(hqServing ? 'ok' : 'down', `${key} for ${name} are made through HQ`);
  }
  return { id: `site-${i + 1}`, name, callManagerAddress: null, services };
}

/**
 * A LiveState of `sites` sites at `nowMs`, either normal (primary active) or failing over since
 * `windowStartMs`. Deterministic, so two calls with the same arguments give equal states.
 */
export function syntheticState(sites: number, seq: number, nowMs: number, failing: { since: number } | null): LiveState {
  const at = new Date(nowMs).toISOString();
  const hqState: HqState = failing ? 'failing-over' : 'primary-active';
  const siteViews = Array.from({ length: sites }, (_, i) => site(i, !failing));
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
      activeAddress: failing ? null : '127.0.0.10',
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
      ...Array.from({ length: DISTRIBUTED }, (_, k) =>
        node(`dvs-${k + 1}`, `DVS ${k + 1}`, 'distributed', `127.0.1.${k + 1}`, true, at, seq + k),
      ),
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
