import type { AlertEvent, AlertSeverity, AlertStatus } from './alert-events.ts';
import { hqServerWords, impactedSites, serverDetails, serverDownTitle, standbyLostDetail, standbyLostTitle } from './alert-words.ts';
import type { HqwatchConfig } from './config.ts';
import type { LiveState, NodeView } from './types.ts';

/**
 * The conditions of the threads other than the HQ incident (a distributed server down, the standby
 * lost, the monitor blind): whether each holds in a round's live state, and the message that opens
 * or ends its thread.
 */

/** The threads besides the HQ incident. */
export type ConditionKind = 'server' | 'standby' | 'monitor';

/** A message before it is numbered and routed. */
export interface Draft {
  event: AlertEvent;
  status: AlertStatus;
  severity: AlertSeverity;
  title: string;
  details: string[];
  sites: string[];
  servers: string[];
  /** A reminder for one route only. */
  route?: number;
}

/** What a round's conditions are read from. */
export interface ConditionRound {
  state: LiveState;
  config: HqwatchConfig;
  nodes: ReadonlyMap<string, NodeView>;
  /** The open threads' names (a server's, kept for when it leaves the config), by key. */
  threads: ReadonlyMap<string, { name?: string }>;
}

/** Sites whose users, voicemail or DRS go through a server. */
function sitesOfServer(config: HqwatchConfig, serverId: string): string[] {
  return config.sites.filter((s) => s.users === serverId || s.voicemail === serverId || s.drs.includes(serverId)).map((s) => s.id);
}

/** A distributed server that does not serve (it answers without serving, or nothing answers). */
export function serverDown(node: NodeView): boolean {
  return node.role === 'distributed' && (node.status === 'down' || node.status === 'reachable');
}

/** A standby known not to be ready, and one known to be ready again. */
function nodeReady(node: NodeView | undefined): boolean {
  return !!node && !node.flapping && (node.status === 'reachable' || node.status === 'serving');
}

export interface Condition {
  kind: ConditionKind;
  subject: string;
  /** Still holding (true), ended on evidence (false), or not known this round (null: leave it). */
  holds: boolean | null;
  trigger(): Draft;
  resolve(): Draft;
}

export function serverCondition(round: ConditionRound, id: string): Condition {
  const { state, config, nodes, threads } = round;
  const node = nodes.get(id);
  const sites = sitesOfServer(config, id);
  const name = node?.name ?? threads.get(`server:${id}`)?.name ?? id;
  return {
    kind: 'server',
    subject: id,
    holds: !node ? false : node.status === 'unknown' ? null : serverDown(node),
    trigger: () => ({
      event: 'server.down',
      status: 'trigger',
      severity: state.sites.some((s) => sites.includes(s.id) && s.services.telephony.status === 'down') ? 'critical' : 'warning',
      title: serverDownTitle(node!),
      details: serverDetails(state, sites),
      sites: sites.filter((s) => impactedSites(state).includes(s)),
      servers: [id],
    }),
    resolve: () => ({
      event: 'server.up',
      status: 'resolve',
      severity: 'info',
      title: node ? `${name} serving again` : `${name} is no longer monitored (removed from the configuration)`,
      details: [],
      sites: [],
      servers: [id],
    }),
  };
}

export function standbyCondition(round: ConditionRound, id: string): Condition {
  const { state, nodes } = round;
  const node = nodes.get(id);
  const lostNow = state.hq.standby === 'not-ready' && state.hq.standbyId === id;
  return {
    kind: 'standby',
    subject: id,
    holds: lostNow ? true : nodeReady(node) ? false : null,
    trigger: () => ({
      event: 'standby.lost',
      status: 'trigger',
      severity: 'warning',
      title: standbyLostTitle(id, node?.flapping ?? false),
      details: [standbyLostDetail(id)],
      sites: [],
      servers: [id],
    }),
    resolve: () => ({
      event: 'standby.regained',
      status: 'resolve',
      severity: 'info',
      title: `Standby ready again: ${hqServerWords(id)} answers`,
      details: [],
      sites: [],
      servers: [id],
    }),
  };
}

export function monitorCondition(state: LiveState): Condition {
  return {
    kind: 'monitor',
    subject: 'blind',
    holds: state.hq.state === 'monitor-blind' ? true : state.hq.state === 'starting' ? null : false,
    trigger: () => ({
      event: 'monitor.blind',
      status: 'trigger',
      severity: 'warning',
      title: 'Monitor blind: hqwatch cannot see the network',
      details: [state.monitor.reason ?? 'The witness probes fail, so nothing is declared down. Statuses are unknown until they recover.'],
      sites: [],
      servers: [],
    }),
    resolve: () => ({
      event: 'monitor.sighted',
      status: 'resolve',
      severity: 'info',
      title: 'Monitor sees again: hqwatch assesses every server anew',
      details: [],
      sites: [],
      servers: [],
    }),
  };
}
