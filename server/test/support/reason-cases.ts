/**
 * Every reason sentence hqwatch can show for the demo topology through a failover, a failback and
 * the worst cases: each HQ state with the distributed servers serving, reachable without serving,
 * down, without a verdict or flapping (all at once, and one at a time), with DRS on and off, plus
 * the status database's contradiction and a site dropped from the config. `reasons-golden.test.ts`
 * compares them with the sentences the version before reason codes wrote
 * (`fixtures/reasons-before.json`), word for word.
 */
import {
  computeImpact,
  deriveEvents,
  HQ_STATES,
  SERVICE_KEYS,
  switchesContradiction,
  validateConfig,
  type EngineCore,
  type HqwatchConfig,
  type NodeHealth,
  type SiteView,
} from '@hqwatch/shared';
import { demoTopology } from '../../src/lab/topology.ts';

const probes = [{ kind: 'sip', port: 5441 }];

/** The demo topology's monitor config (addresses as the demo's lab has them; nothing is probed). */
export function demoConfig(drs = true): HqwatchConfig {
  const topology = demoTopology();
  const node = (id: string) => {
    const spec = topology.nodes.find((n) => n.id === id);
    if (!spec) throw new Error(`no node ${id}`);
    return spec;
  };
  const result = validateConfig({
    headquarters: {
      primary: { name: node('primary').name, address: node('primary').address, probes },
      secondary: { name: node('secondary').name, address: node('secondary').address, probes },
    },
    servers: topology.nodes
      .filter((n) => n.role === 'distributed')
      .map((n) => ({ id: n.id, name: n.name, address: n.address, drs: n.drs ?? false, probes })),
    drs: { enabled: drs },
    sites: topology.sites.map((s) => ({ ...s, drs: [...s.drs] })),
  });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return result.config;
}

type Health = 'serving' | 'reachable' | 'down' | 'unknown' | 'flapping';
const HEALTHS: readonly Health[] = ['serving', 'reachable', 'down', 'unknown', 'flapping'];

function health(h: Health): NodeHealth {
  return h === 'flapping' ? { status: 'serving', flapping: true } : { status: h, flapping: false };
}

/** The node variants of each HQ state: every DVS the same, then each DVS alone not serving. */
function variants(config: HqwatchConfig): [string, Record<string, NodeHealth>][] {
  const ids = config.servers.map((s) => s.id);
  const all = (h: Health) => Object.fromEntries(ids.map((id) => [id, health(h)]));
  const out: [string, Record<string, NodeHealth>][] = HEALTHS.map((h) => [`all-${h}`, all(h)]);
  for (const id of ids)
    for (const h of HEALTHS.filter((x) => x !== 'serving')) out.push([`${id}-${h}`, { ...all('serving'), [id]: health(h) }]);
  return out;
}

/** `case|site|service` → the sentence, for every case. */
export function reasonCases(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const drs of [true, false]) {
    const config = demoConfig(drs);
    for (const state of HQ_STATES) {
      for (const [name, servers] of variants(config)) {
        const nodes = { primary: health('serving'), secondary: health('serving'), ...servers };
        const { sites } = computeImpact({ config, hq: { state }, nodes });
        for (const site of sites)
          for (const key of SERVICE_KEYS)
            out[`${drs ? 'drs' : 'no-drs'}/${state}/${name}|${site.id}|${key}`] = site.services[key].reason ?? '';
      }
    }
  }
  // A server a site names that the config does not have (only an unvalidated config can).
  const config = demoConfig();
  const broken: HqwatchConfig = { ...config, sites: config.sites.map((s) => (s.id === 'boston' ? { ...s, users: 'dvs-gone' } : s)) };
  const { sites } = computeImpact({ config: broken, hq: { state: 'primary-active' }, nodes: {} });
  for (const key of SERVICE_KEYS) out[`unconfigured|boston|${key}`] = sites[1]!.services[key].reason ?? '';
  return { ...out, ...contradictions(), ...removed(config) };
}

function contradictions(): Record<string, string> {
  const site: Pick<SiteView, 'services'> = computeImpact({ config: demoConfig(), hq: { state: 'primary-active' }, nodes: {} }).sites[0]!;
  const ok = { ...site, services: { ...site.services, telephony: { status: 'ok' as const } } };
  const out: Record<string, string> = {};
  for (const total of [1, 2, 3, 12]) {
    const text = switchesContradiction(ok, { total, inService: 0, lost: total, worst: null, since: '2026-01-01T00:00:00.000Z' }, 'ok');
    out[`contradiction|${total}`] = text ?? '';
  }
  return out;
}

/** The reason recorded for each service of a site dropped from the config. */
function removed(config: HqwatchConfig): Record<string, string> {
  const core = { hq: { state: 'primary-active', incident: null, window: null }, nodes: {} } as unknown as EngineCore;
  const { sites } = computeImpact({ config, hq: { state: 'failing-over' }, nodes: {} });
  const events = deriveEvents({ core, sites }, { core, sites: sites.slice(1) }, '2026-01-01T00:00:00.000Z', { minMs: 1, maxMs: 2 });
  const out: Record<string, string> = {};
  for (const e of events) if (e.type === 'impact-changed') out[`removed|${e.siteId}|${e.service}`] = e.reason ?? '';
  return out;
}
