/**
 * A small system for the alert model's tests, played round by round through the real engine: the
 * HQ pair, one distributed server (Boston) and three sites, failAfter and recoverAfter 1 so each
 * round's raw state is the debounced one. Rounds are a minute apart.
 */
import {
  buildLiveState,
  deriveEvents,
  EMPTY_ALERT_MEMORY,
  initialCore,
  planAlerts,
  stepCore,
  validateConfig,
  type AlertMemory,
  type AlertPlan,
  type EngineCore,
  type HqwatchConfig,
  type LiveState,
  type MaintenanceWindow,
  type RawNodeState,
  type SiteView,
} from '@hqwatch/shared';

const probes = [{ kind: 'tcp', port: 4308 }];

export function alertConfig(notify: Record<string, unknown>, extra: Record<string, unknown> = {}): HqwatchConfig {
  const result = validateConfig({
    monitor: { failAfter: 1, recoverAfter: 1, expectedWindow: { min: '5m', max: '20m' } },
    headquarters: {
      primary: { name: 'HQ primary', address: '10.1.0.10', probes },
      secondary: { name: 'HQ secondary', address: '10.2.0.10', probes },
    },
    servers: [{ id: 'dvs-boston', name: 'Boston DVS', address: '10.3.0.5', drs: true, probes }],
    drs: { enabled: true },
    sites: [
      { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 400 },
      { id: 'boston', name: 'Boston', users: 'dvs-boston', voicemail: 'dvs-boston', drs: ['dvs-boston'], userCount: 120 },
      { id: 'austin', name: 'Austin', users: 'hq', voicemail: 'dvs-boston', drs: ['dvs-boston'], userCount: 120 },
    ],
    http: { publicUrl: 'https://hqwatch.example.com/' },
    notify,
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

export const WEBHOOK = { id: 'ops', kind: 'webhook', url: 'http://127.0.0.1:9000/hook', secret: 'at-least-16-chars' };

const RAW: Record<string, RawNodeState> = { S: 'serving', R: 'reachable', D: 'down' };
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
export const at = (round: number) => new Date(T0 + round * 60_000).toISOString();

export interface Round extends AlertPlan {
  state: LiveState;
}

/**
 * Plays rounds written `PSB` (primary, secondary, Boston: S serving, R reachable, D down, `-` blind).
 * The alert memory goes through JSON between rounds, as the store keeps it.
 */
export function system(config: HqwatchConfig, memory: AlertMemory = EMPTY_ALERT_MEMORY) {
  let core: EngineCore = initialCore(config, at(0));
  let sites: readonly SiteView[] = [];
  let round = 0;
  let mem = memory;
  const { min, max } = config.monitor.expectedWindow;
  return {
    play(step: string, opts: { maintenance?: MaintenanceWindow | null } = {}): Round {
      round += 1;
      const now = at(round);
      const blind = step === '---';
      const raw: Record<string, RawNodeState | null> = blind
        ? {}
        : { primary: RAW[step[0]!]!, secondary: RAW[step[1]!]!, 'dvs-boston': RAW[step[2]!]! };
      const prev = core;
      core = stepCore(config, core, { raw, blind }, now);
      const state = buildLiveState({ config, core, now, seq: round, monitor: { healthy: !blind } });
      const events = deriveEvents({ core: prev, sites }, { core, sites: state.sites }, now, { minMs: min, maxMs: max });
      sites = state.sites;
      const plan = planAlerts({ memory: mem, state, events, config, maintenance: opts.maintenance ?? null });
      mem = JSON.parse(JSON.stringify(plan.memory)) as AlertMemory;
      return { ...plan, state };
    },
    memory: () => mem,
    /** Plays several rounds; returns every message in order with its deliveries. */
    playAll(steps: string[], opts: { maintenance?: MaintenanceWindow | null } = {}): Round[] {
      return steps.map((s) => this.play(s, opts));
    },
  };
}

export function maintenanceWindow(fromRound: number, toRound: number, reason = 'quarterly failover drill'): MaintenanceWindow {
  return { id: 'mw-1', from: at(fromRound), to: at(toRound), reason, createdAt: at(0) };
}
