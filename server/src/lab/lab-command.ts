import { labAddresses } from './addresses.ts';
import { LAB_CONTROL_PORT, startControlApi, type ControlApi } from './control-api.ts';
import { DEMO_SCENARIO, DEMO_SPEED, demoMonitorSettings, demoStatusDbSettings } from './demo.ts';
import { describeLab } from './describe.ts';
import { startLab, type Lab } from './lab.ts';
import { labConfig, type LabMonitorSettings } from './lab-config.ts';
import { ScenarioPlayer } from './scenario-player.ts';
import type { Scenario } from './scenario.schema.ts';
import { resolveScenario } from './scenarios.ts';
import { startStatusDbDriver, type StatusDbDriver } from './status-db-driver.ts';
import { largestTopology } from './largest-topology.ts';
import { demoTopology, type LabTopology } from './topology.ts';

/** The topologies the demo can run: `demo` (12 sites) and `largest` (20 distributed servers, 500 sites). */
export const LAB_TOPOLOGIES = { demo: demoTopology, largest: largestTopology } as const satisfies Record<
  string,
  (octet: number) => LabTopology
>;
export type LabTopologyName = keyof typeof LAB_TOPOLOGIES;

/** A line logger, or a pino-style logger whose `info` takes a message. */
export type LabLog = ((line: string) => void) | { info(message: string): void };

function lineLogger(log: LabLog): (line: string) => void {
  return typeof log === 'function' ? log : (line) => log.info(line);
}

export interface LabCommandOptions {
  /** A built-in scenario name or a scenario file path; none leaves every node in its initial state. */
  scenario?: string;
  /** Overrides the scenario's speed. */
  speed?: number;
  /** Port of the control API on 127.0.0.1; 0 picks a free one. */
  controlPort?: number;
  /** Second octet of the lab's addresses (127.<octet>.1.10, …); 0 by default. */
  octet?: number;
  /** `mysql://USER@HOST/DATABASE` on this machine: the lab creates and drives a ShoreWare status database there. */
  statusDb?: string;
  /** Password of that database's user (HQWATCH_STATUSDB_PASSWORD). */
  statusDbPassword?: string;
  /** Which topology the lab simulates; `demo` by default. */
  topology?: LabTopologyName;
  log: LabLog;
}

export interface RunningLab {
  lab: Lab;
  control: ControlApi;
  player: ScenarioPlayer;
  /** Present with `statusDb`. */
  statusDb: StatusDbDriver | null;
  close(): Promise<void>;
}

export interface CommandFailure {
  exitCode: 2;
  errors: string[];
}

async function prepareScenario(options: LabCommandOptions): Promise<{ scenario?: Scenario } | CommandFailure> {
  const errors: string[] = [];
  if (options.speed !== undefined && !(Number.isFinite(options.speed) && options.speed > 0))
    errors.push(`speed: must be a number above 0, got ${options.speed}`);
  if (options.octet !== undefined) {
    try {
      labAddresses(options.octet);
    } catch (err) {
      errors.push(`octet: ${(err as Error).message}`);
    }
  }
  if (options.topology !== undefined && !(options.topology in LAB_TOPOLOGIES))
    errors.push(`topology: must be one of ${Object.keys(LAB_TOPOLOGIES).join(', ')}, got ${options.topology}`);
  if (options.scenario === undefined || errors.length) return errors.length ? { exitCode: 2, errors } : {};
  // Steps must name nodes of the topology played; expectations name the small topology's sites
  // whatever the topology (they are checked by the scenario tests, not by the player).
  const played = LAB_TOPOLOGIES[options.topology ?? 'demo'](0);
  const loaded = await resolveScenario(options.scenario, { ...played, sites: demoTopology(0).sites });
  if (!loaded.ok) errors.push(...loaded.errors.map((e) => `${e.path}: ${e.message}`));
  return errors.length || !loaded.ok ? { exitCode: 2, errors } : { scenario: loaded.scenario };
}

/** Starts the demo topology's lab and its control API, and plays `scenario` on it. */
async function startRunningLab(options: LabCommandOptions, scenario: Scenario | undefined): Promise<RunningLab> {
  const log = lineLogger(options.log);
  const lab = await startLab(LAB_TOPOLOGIES[options.topology ?? 'demo'](options.octet ?? 0), { log });
  const player = new ScenarioPlayer(lab, log);
  let control: ControlApi;
  try {
    control = await startControlApi({ lab, player, port: options.controlPort ?? LAB_CONTROL_PORT, log });
  } catch (err) {
    await lab.close();
    throw err;
  }
  let statusDb: StatusDbDriver | null = null;
  if (options.statusDb) {
    try {
      const speed = options.speed ?? scenario?.speed ?? 1;
      statusDb = await startStatusDbDriver({ lab, url: options.statusDb, password: options.statusDbPassword, speed, log });
    } catch (err) {
      await control.close();
      await lab.close();
      throw err;
    }
  }
  for (const line of describeLab(lab)) log(line);
  log(`lab: control API on ${control.url} (GET /nodes, PUT /nodes/:id, GET|POST|DELETE /scenario)`);
  if (scenario) player.play(scenario, { speed: options.speed });
  return {
    lab,
    control,
    player,
    statusDb,
    async close() {
      player.stop();
      await statusDb?.close();
      await control.close();
      await lab.close();
    },
  };
}

/**
 * `hqwatch lab [--scenario NAME|FILE] [--speed N]`: runs only the simulated servers. Scenario file
 * errors come back as `path: message` lines with exit code 2, before anything is bound.
 */
export async function runLabCommand(options: LabCommandOptions): Promise<RunningLab | CommandFailure> {
  const prepared = await prepareScenario(options);
  if ('exitCode' in prepared) return prepared;
  try {
    return await startRunningLab(options, prepared.scenario);
  } catch (err) {
    // A status database that cannot be reached or written is the user's to fix, not a crash.
    if (options.statusDb && err instanceof Error && err.message.startsWith('--status-db')) return { exitCode: 2, errors: [err.message] };
    throw err;
  }
}

export interface DemoLab extends RunningLab {
  speed: number;
  /** Starts (or restarts from its first step) the looping demo scenario. */
  play(): void;
  /** Raw monitor config pointing at the lab (validate it with `validateConfig`). */
  config: Record<string, unknown>;
  settings: LabMonitorSettings;
}

/**
 * The lab half of `hqwatch demo`: the demo topology looping failover-failback at `DEMO_SPEED`, and
 * a monitor config pointing at it with the expected window scaled by the same speed.
 */
export async function startDemoLab(options: Omit<LabCommandOptions, 'scenario'> & { autoplay?: boolean }): Promise<DemoLab> {
  const speed = options.speed ?? DEMO_SPEED;
  const prepared = await prepareScenario({ ...options, scenario: DEMO_SCENARIO, speed });
  if ('exitCode' in prepared) throw new Error(prepared.errors.join('; '));
  const scenario = prepared.scenario;
  // Without autoplay the caller plays once its monitor runs, so the first failover is not missed.
  const running = await startRunningLab({ ...options, speed }, options.autoplay === false ? undefined : scenario);
  const settings: LabMonitorSettings = demoMonitorSettings(speed);
  if (running.statusDb) settings.statusDb = demoStatusDbSettings(running.statusDb);
  return {
    ...running,
    speed,
    settings,
    config: labConfig(running.lab.topology, running.lab, settings),
    play: () => void (scenario && running.player.play(scenario, { speed })),
  };
}
