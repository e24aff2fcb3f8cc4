import { computeImpact, validateConfig } from '@hqwatch/shared';
import type { HqState, HqView, HqwatchConfig, NodeHealth, NodeStatus, ServiceKey, SiteView } from '@hqwatch/shared';

const probes = [{ kind: 'sip', port: 5441 }];

/**
 * A company with every homing the vendor text distinguishes:
 * - Headquarters, Austin: users, voicemail and DRS through HQ;
 * - Boston: everything on Boston DVS, DRS also through HQ;
 * - Denver: users on Denver DVS but voicemail routed through HQ, DRS only on Denver DVS;
 * - Miami: users and voicemail on Miami DVS (no DRS), DRS only through HQ;
 * - Seattle: users on Denver DVS, DRS through Boston DVS or Denver DVS.
 */
export const companyDoc = {
  headquarters: {
    primary: { name: 'HQ primary', address: '10.1.0.10', probes },
    secondary: { name: 'HQ secondary', address: '10.2.0.10', probes },
  },
  servers: [
    { id: 'dvs-boston', name: 'Boston DVS', address: '10.3.0.5', drs: true, probes },
    { id: 'dvs-denver', name: 'Denver DVS', address: '10.4.0.5', drs: true, probes },
    { id: 'dvs-miami', name: 'Miami DVS', address: '10.5.0.5', probes },
  ],
  drs: { enabled: true },
  sites: [
    { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 400 },
    { id: 'austin', name: 'Austin', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 50 },
    { id: 'boston', name: 'Boston', users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['dvs-boston', 'hq'], userCount: 120 },
    { id: 'denver', name: 'Denver', users: 'dvs-denver', voicemail: 'hq', drs: ['dvs-denver'] },
    { id: 'miami', name: 'Miami', users: 'dvs-miami', voicemail: 'dvs-miami', drs: ['hq'], userCount: 30 },
    { id: 'seattle', name: 'Seattle', users: 'dvs-denver', voicemail: 'dvs-denver', drs: ['dvs-boston', 'dvs-denver'], userCount: 70 },
  ],
};

/** Validates a config document through the real schema, failing the test on any error. */
export function configOf(doc: unknown): HqwatchConfig {
  const result = validateConfig(doc);
  if (!result.ok) throw new Error(`fixture config refused: ${JSON.stringify(result.errors)}`);
  return result.config;
}

export const company = configOf(companyDoc);

/** The same company with DRS disabled. */
export const companyWithoutDrs = configOf({ ...companyDoc, drs: { enabled: false } });

const WINDOW_KIND = { 'failing-over': 'failover', 'failing-back': 'failback', 'hq-down': 'outage' } as const;

/** An HQ view in `state`, with a window of `elapsedMs` when the state is a window. */
export function hqIn(state: HqState, elapsedMs = 60_000): HqView {
  const kind = (WINDOW_KIND as Partial<Record<HqState, 'failover' | 'failback' | 'outage'>>)[state];
  return {
    state,
    since: '2025-03-01T10:00:00.000Z',
    activeAddress: state === 'primary-active' ? '10.1.0.10' : state === 'secondary-active' ? '10.2.0.10' : null,
    targetAddress: state === 'failing-over' ? '10.2.0.10' : state === 'failing-back' ? '10.1.0.10' : null,
    cause: state === 'hq-down' ? 'direction-unknown' : null,
    standby: 'unknown',
    standbyId: null,
    window: kind
      ? {
          kind,
          startedAt: '2025-03-01T10:00:00.000Z',
          elapsedMs,
          expectedMinMs: 300_000,
          expectedMaxMs: 1_200_000,
          overrun: elapsedMs > 1_200_000,
        }
      : null,
  };
}

/** Every node serving and steady, except the ones overridden. */
export function nodesWith(
  overrides: Record<string, NodeStatus | 'flapping'> = {},
  config: HqwatchConfig = company,
): Record<string, NodeHealth> {
  const ids = ['primary', 'secondary', ...config.servers.map((s) => s.id)];
  return Object.fromEntries(
    ids.map((id) => {
      const o = overrides[id];
      return [id, o === 'flapping' ? { status: 'serving', flapping: true } : { status: o ?? 'serving', flapping: false }];
    }),
  );
}

/** The impact on the company for an HQ state and node overrides. */
export function impactOf(state: HqState, overrides: Record<string, NodeStatus | 'flapping'> = {}, config: HqwatchConfig = company) {
  return computeImpact({ config, hq: hqIn(state), nodes: nodesWith(overrides, config) });
}

/** One site of an impact, by id. */
export function siteOf(sites: readonly SiteView[], id: string): SiteView {
  const site = sites.find((s) => s.id === id);
  if (!site) throw new Error(`no site ${id}`);
  return site;
}

/** The statuses of a site as a compact record, for table rows. */
export function statusesOf(site: SiteView): Record<ServiceKey, string> {
  return Object.fromEntries(Object.entries(site.services).map(([key, s]) => [key, s.status])) as Record<ServiceKey, string>;
}

export const WINDOW_STATES = ['failing-over', 'failing-back', 'hq-down'] as const;
/** The windows of a failover or failback operation: what the vendor's notes describe (not an HQ outage). */
export const MOVE_STATES = ['failing-over', 'failing-back'] as const;
export const SERVING_STATES = ['primary-active', 'secondary-active'] as const;
export const GLOBAL_SERVICES = ['configChanges', 'accountCodes', 'workgroups'] as const;
