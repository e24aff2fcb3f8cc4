import type { HqWindow, ImpactSummary, LiveState, LossCount, WindowKind } from '@hqwatch/shared';
import { SECONDARY_ID, formatElapsed } from '@hqwatch/shared';
import { expectedRangeText, isOverrun, windowElapsedMs } from './elapsed.ts';

export type BannerKind = WindowKind | 'overrun' | 'secondary-active' | 'dual-active' | 'monitor-blind';
export type BannerTone = 'alarm' | 'warning' | 'notice';

/** One line of "what is lost": a service and how many sites and users are without it. */
export interface Loss {
  what: string;
  sites: number;
  users: number | null;
}

export interface BannerModel {
  kind: BannerKind;
  tone: BannerTone;
  headline: string;
  /** `07:12`, ticking, while a window is open. */
  elapsed: string | null;
  /** `typically 5–20 min` while a window is open. */
  expected: string | null;
  /** The whole first line as one sentence, for notifications and screen readers. */
  sentence: string;
  detail: string | null;
  losses: Loss[];
  /** Services that are down everywhere, when they are. */
  globalLoss: string | null;
  /** The IP Call Manager users must type, while the secondary is in charge. */
  callManagerAddress: string | null;
}

const WINDOW_HEADLINE: Record<WindowKind, string> = {
  failover: 'Failover in progress',
  failback: 'Failback in progress',
  outage: 'HQ down: no Headquarters server is serving',
};

const WINDOW_NAME: Record<WindowKind, string> = { failover: 'Failover', failback: 'Failback', outage: 'HQ outage' };

export const GLOBAL_LOSS_TEXT = 'Config changes, account codes and workgroups unavailable everywhere';

/** `07:12` below an hour, `1:07:12` above: the clock reads the same width through a normal window. */
export function formatWindowElapsed(ms: number): string {
  const text = formatElapsed(ms);
  return /^\d:\d\d$/.test(text) ? `0${text}` : text;
}

function lossLines(impact: ImpactSummary): Loss[] {
  const lines: [string, LossCount][] = [
    ['Telephony & video', impact.telephony],
    ['Voicemail', impact.voicemail],
    ['Intersite calls (DRS)', impact.drsIntersite],
  ];
  return lines.filter(([, count]) => count.sites > 0).map(([what, count]) => ({ what, sites: count.sites, users: count.users }));
}

function windowBanner(window: HqWindow, state: LiveState, nowMs: number, offsetMs: number): BannerModel {
  const elapsedMs = windowElapsedMs(window, nowMs, offsetMs);
  const overrun = isOverrun(window, elapsedMs);
  const elapsed = formatWindowElapsed(elapsedMs);
  const range = expectedRangeText(window.expectedMinMs, window.expectedMaxMs);
  const headline = overrun ? `${WINDOW_NAME[window.kind]} overrun` : WINDOW_HEADLINE[window.kind];
  const expected = overrun ? `longer than the usual ${range}` : `typically ${range}`;
  return {
    kind: overrun ? 'overrun' : window.kind,
    tone: 'alarm',
    headline,
    elapsed,
    expected,
    sentence: `${headline} — ${elapsed} elapsed — ${expected}`,
    detail: overrun
      ? `Past the expected maximum of ${formatWindowElapsed(window.expectedMaxMs)}: escalate and check both HQ servers.`
      : 'No Headquarters services until it completes.',
    losses: lossLines(state.impact),
    globalLoss: state.impact.globalServicesDown ? GLOBAL_LOSS_TEXT : null,
    callManagerAddress: null,
  };
}

function plainBanner(kind: BannerKind, tone: BannerTone, headline: string, detail: string | null, state: LiveState): BannerModel {
  return {
    kind,
    tone,
    headline,
    elapsed: null,
    expected: null,
    sentence: headline,
    detail,
    losses: lossLines(state.impact),
    globalLoss: state.impact.globalServicesDown ? GLOBAL_LOSS_TEXT : null,
    callManagerAddress: null,
  };
}

function secondaryAddress(state: LiveState): string | null {
  return state.hq.activeAddress ?? state.nodes.find((node) => node.id === SECONDARY_ID)?.address ?? null;
}

/**
 * The banner for a live state at `nowMs` (client clock; `offsetMs` = server − client), or null when
 * HQ is normal. Windows tick from their start; past the expected maximum they become an overrun alarm.
 */
export function bannerFor(state: LiveState, nowMs: number, offsetMs = 0): BannerModel | null {
  const { hq } = state;
  if (hq.window) return windowBanner(hq.window, state, nowMs, offsetMs);
  switch (hq.state) {
    case 'secondary-active': {
      const banner = plainBanner(
        'secondary-active',
        'warning',
        'Running on the secondary HQ server',
        'Call Manager users logging in now must specify the IP address of the secondary server:',
        state,
      );
      return { ...banner, callManagerAddress: secondaryAddress(state) };
    }
    case 'dual-active':
      return plainBanner(
        'dual-active',
        'alarm',
        'Split brain: both HQ servers are serving',
        'Primary and secondary both answer as Headquarters. Site statuses below are the last known and at risk.',
        state,
      );
    case 'hq-down':
      return plainBanner('outage', 'alarm', WINDOW_HEADLINE.outage, 'No Headquarters services.', state);
    case 'monitor-blind':
      return {
        ...plainBanner(
          'monitor-blind',
          'notice',
          'Monitor blind: hqwatch cannot see the network',
          state.monitor.reason ?? 'The witness probes fail, so nothing is declared down. Statuses are unknown until they recover.',
          state,
        ),
        losses: [],
        globalLoss: null,
      };
    default:
      return null;
  }
}
