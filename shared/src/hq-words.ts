import { formatElapsed } from './duration.ts';
import type { HqDownCause, ImpactSummary, LiveState, NodeStatus, WindowKind } from './types.ts';
import { PRIMARY_ID, SECONDARY_ID } from './types.ts';

/**
 * The words the banner, the alerts and the reports share for the HQ pair and what is lost, so a
 * page on a phone, the screen in the NOC and the postmortem say the same thing.
 */

/** The notes' bullet is about Call Manager: its telephony and video go together. */
export const CALL_MANAGER_LOSS = 'Call Manager telephony & video';
export const GLOBAL_LOSS_TEXT = 'Config changes, account codes and workgroups unavailable everywhere';

export const WINDOW_NAME: Record<WindowKind, string> = { failover: 'Failover', failback: 'Failback', outage: 'HQ outage' };

/** One line of "what is lost": a service and how many sites and users are without it. */
export interface LossLine {
  what: string;
  sites: number;
  users: number | null;
}

/** Call Manager telephony & video, voicemail, intersite calls: the losses a site feels, with sites and users. */
export function lossLines(impact: ImpactSummary): LossLine[] {
  const lines: [string, { sites: number; users: number | null }][] = [
    [CALL_MANAGER_LOSS, impact.telephony],
    ['Voicemail', impact.voicemail],
    ['Intersite calls (DRS)', impact.drsIntersite],
  ];
  return lines.filter(([, count]) => count.sites > 0).map(([what, count]) => ({ what, sites: count.sites, users: count.users }));
}

/** `07:12` below an hour, `1:07:12` above: the clock reads the same width through a normal window. */
export function clockText(ms: number): string {
  const text = formatElapsed(ms);
  return /^\d:\d\d$/.test(text) ? `0${text}` : text;
}

/** What a node's status says of the machine: "stopped" answers with its services down, "unreachable" answers nothing. */
export const NODE_WORD: Record<NodeStatus, string> = {
  serving: 'serving',
  reachable: 'stopped',
  down: 'unreachable',
  unknown: 'not assessed yet',
};

function statusOf(state: LiveState, id: string): NodeStatus {
  return state.nodes.find((node) => node.id === id)?.status ?? 'unknown';
}

/** What no longer happens, from the cause and the server HQ would move to (the standby). */
function hqDownTail(cause: HqDownCause | null, standbyId: string | null): string {
  const move = standbyId === SECONDARY_ID ? 'failover' : standbyId === PRIMARY_ID ? 'failback' : null;
  switch (cause) {
    case 'target-down':
    case 'both-down':
      return move ? `no ${move} possible` : 'no HQ server answers';
    case 'target-unknown':
      return `whether a ${move ?? 'failover'} can complete is not known yet`;
    case 'direction-unknown':
      return 'no failover or failback under way';
    default:
      return 'no Headquarters server is serving';
  }
}

/** "HQ down: primary stopped, secondary unreachable — no failover possible": both servers as the probes see them, then what that means. */
export function hqDownHeadline(state: LiveState): string {
  const primary = NODE_WORD[statusOf(state, PRIMARY_ID)];
  const secondary = NODE_WORD[statusOf(state, SECONDARY_ID)];
  return `HQ down: primary ${primary}, secondary ${secondary} — ${hqDownTail(state.hq.cause ?? null, state.hq.standbyId ?? null)}`;
}
