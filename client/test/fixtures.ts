import {
  CONTRACT_VERSION,
  SERVICE_KEYS,
  type HqView,
  type LiveState,
  type NodeView,
  type ServiceKey,
  type ServiceState,
  type SiteView,
} from '@hqwatch/shared';

export const T0 = Date.parse('2026-11-25T10:00:00.000Z');
export const MIN = 60_000;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function site(id: string, down: ServiceKey[] = [], extra: Partial<SiteView> = {}): SiteView {
  const services = {} as Record<ServiceKey, ServiceState>;
  for (const key of SERVICE_KEYS)
    services[key] = down.includes(key) ? { status: 'down', reason: `${key} of ${id} is down` } : { status: 'ok' };
  return { id, name: id[0]!.toUpperCase() + id.slice(1), callManagerAddress: null, services, ...extra };
}

export function node(id: string, extra: Partial<NodeView> = {}): NodeView {
  return {
    id,
    name: id,
    address: id === 'primary' ? '10.1.0.10' : id === 'secondary' ? '10.2.0.10' : '10.3.0.5',
    role: id === 'primary' ? 'hq-primary' : id === 'secondary' ? 'hq-secondary' : 'distributed',
    status: 'serving',
    flapping: false,
    since: iso(T0),
    probes: [{ kind: 'tcp', target: '10.1.0.10:4308', ok: true, latencyMs: 2 }],
    ...extra,
  };
}

export function hq(extra: Partial<HqView> = {}): HqView {
  return {
    state: 'primary-active',
    since: iso(T0),
    activeAddress: '10.1.0.10',
    window: null,
    targetAddress: null,
    cause: null,
    standby: 'ready',
    standbyId: 'secondary',
    ...extra,
  };
}

/** A normal live state at T0 with two sites, changed by `extra`. */
export function liveState(extra: Partial<LiveState> = {}): LiveState {
  return {
    contractVersion: CONTRACT_VERSION,
    seq: 1,
    at: iso(T0),
    hq: hq(),
    nodes: [node('primary'), node('secondary', { status: 'reachable' }), node('dvs-boston')],
    sites: [site('hq'), site('boston')],
    incident: null,
    monitor: { healthy: true, intervalMs: 2000 },
    impact: {
      sitesImpacted: 0,
      telephony: { sites: 0, users: null },
      voicemail: { sites: 0, users: null },
      drsIntersite: { sites: 0, users: null },
      globalServicesDown: false,
    },
    ...extra,
  };
}

/** Failing over since `startedMs`, with HQ-homed users and voicemail lost. */
export function failingOver(startedMs: number, extra: Partial<LiveState> = {}): LiveState {
  return liveState({
    hq: hq({
      state: 'failing-over',
      since: iso(startedMs),
      activeAddress: null,
      targetAddress: '10.2.0.10',
      window: {
        kind: 'failover',
        startedAt: iso(startedMs),
        elapsedMs: 0,
        expectedMinMs: 5 * MIN,
        expectedMaxMs: 20 * MIN,
        overrun: false,
      },
    }),
    impact: {
      sitesImpacted: 2,
      telephony: { sites: 1, users: 400 },
      voicemail: { sites: 2, users: 520 },
      drsIntersite: { sites: 0, users: null },
      globalServicesDown: true,
    },
    ...extra,
  });
}
