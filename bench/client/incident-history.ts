/**
 * A stored incident of about four hours for 500 sites, written round by round through the live
 * path's pure functions (stepCore, buildLiveState, deriveEvents) into a real SQLite store, as the
 * monitor would have written it: a 12-minute failover (a distributed server lost in the middle of
 * it), three and a half hours on the secondary with a distributed server down for 4 minutes every
 * 10 minutes, then a 14-minute failback. Quiet stretches only mark the monitor alive, as real rounds
 * that change nothing do.
 */
import {
  buildLiveState,
  deriveEvents,
  initialCore,
  stepCore,
  type HqwatchConfig,
  type LiveState,
  type RawNodeState,
  type SiteView,
} from '@hqwatch/shared';
import { openStore, type Store } from '@hqwatch/server/store';
import { DISTRIBUTED, dvsId, syntheticConfig } from '../server/synthetic-topology.ts';

const MINUTE = 60_000;
/** The HQ pair, 20 distributed servers and `sites` sites (TCP and SIP probes). */
export const incidentConfig = (sites: number): HqwatchConfig => syntheticConfig(sites, { http: false });

export interface SeededIncident {
  store: Store;
  config: HqwatchConfig;
  incidentId: string;
  startedAt: string;
  endedAt: string;
  events: number;
}

/** Writes the incident into a new store in `dataDir`; the caller closes the store. */
export async function seedIncident(
  dataDir: string,
  sites: number,
  startMs = Date.parse('2026-03-02T08:00:00.000Z'),
): Promise<SeededIncident> {
  const config = incidentConfig(sites);
  const store = await openStore({ dataDir, retentionDays: 30, checkpointIntervalMs: 3_600_000 });
  const { min, max } = config.monitor.expectedWindow;
  const raw: Record<string, RawNodeState> = { primary: 'serving', secondary: 'reachable' };
  for (let i = 0; i < DISTRIBUTED; i++) raw[dvsId(i)] = 'serving';
  let t = startMs;
  const iso = () => new Date(t).toISOString();
  let core = initialCore(config, iso());
  let recorded: readonly SiteView[] = [];
  let events = 0;
  let incidentId: string | null = null;

  async function round(): Promise<LiveState> {
    t += config.monitor.interval;
    const prev = { core, sites: recorded };
    core = stepCore(config, core, { raw, blind: false }, iso());
    const state = buildLiveState({ config, core, now: iso(), seq: 0, monitor: { healthy: true } });
    const derived = deriveEvents(prev, { core, sites: state.sites }, iso(), { minMs: min, maxMs: max });
    events += derived.length;
    await store.append(derived, core, iso());
    await store.heartbeat(iso());
    recorded = state.sites;
    incidentId ??= state.incident?.id ?? null;
    return state;
  }
  const until = async (done: (s: LiveState) => boolean) => {
    for (let i = 0; i < 50; i++) if (done(await round())) return;
    throw new Error(`the seeded incident is stuck in ${core.hq.state}`);
  };
  const settle = () => until((s) => s.nodes.every((n) => n.status === raw[n.id]));
  const hold = async (ms: number) => {
    const end = t + ms;
    while (t + 30_000 < end) {
      t += 30_000;
      await store.heartbeat(iso());
    }
    t = end;
    await store.heartbeat(iso());
  };

  await until((s) => s.hq.state === 'primary-active');
  raw.primary = 'down';
  await until((s) => s.hq.state === 'failing-over');
  await hold(6 * MINUTE);
  raw[dvsId(3)] = 'down';
  await settle();
  await hold(6 * MINUTE);
  raw.secondary = 'serving';
  raw[dvsId(3)] = 'serving';
  await until((s) => s.hq.state === 'secondary-active');
  await settle();
  for (let k = 0; k < 21; k++) {
    const dvs = dvsId((k * 7) % DISTRIBUTED);
    await hold(6 * MINUTE);
    raw[dvs] = 'down';
    await settle();
    await hold(4 * MINUTE);
    raw[dvs] = 'serving';
    await settle();
  }
  raw.secondary = 'reachable';
  raw.primary = 'reachable';
  await until((s) => s.hq.state === 'failing-back');
  await hold(14 * MINUTE);
  raw.primary = 'serving';
  await until((s) => s.incident === null);
  await hold(MINUTE);

  const detail = incidentId ? await store.incidentDetail(incidentId, config) : null;
  if (!detail || !detail.incident.endedAt) throw new Error('the seeded incident was not recorded');
  return { store, config, incidentId: detail.incident.id, startedAt: detail.incident.startedAt, endedAt: detail.incident.endedAt, events };
}
