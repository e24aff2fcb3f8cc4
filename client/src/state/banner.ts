import type { HqDownCause, HqWindow, LiveState, LossLine, WindowKind } from '@hqwatch/shared';
import {
  GLOBAL_LOSS_TEXT,
  PRIMARY_ID,
  SECONDARY_ID,
  WINDOW_NAME,
  clockText,
  estimateText,
  hqDownHeadline,
  lossLines,
  vendorRangeNote,
} from '@hqwatch/shared';
import { expectedRangeText, isOverrun, windowElapsedMs } from './elapsed.ts';

export type BannerKind = WindowKind | 'overrun' | 'secondary-active' | 'dual-active' | 'monitor-blind' | 'standby-lost';
export type BannerTone = 'alarm' | 'warning' | 'notice';

export interface BannerModel {
  kind: BannerKind;
  tone: BannerTone;
  headline: string;
  /** `07:12`, ticking, while a window is open. */
  elapsed: string | null;
  /**
   * How long it usually takes, while a failover or failback is open: this installation's own
   * ("usually done in ~6–9 min, based on 12 past failovers") or the vendor's ("typically 5–20 min").
   * Null for an outage, which has no expected length.
   */
  expected: string | null;
  /** Why the vendor's range is shown instead of this installation's, when it is. */
  expectedNote: string | null;
  /** The whole first line as one sentence, for notifications and screen readers. */
  sentence: string;
  detail: string | null;
  losses: LossLine[];
  /** Services that are down everywhere, when they are. */
  globalLoss: string | null;
  /** The IP Call Manager users must type now, while the secondary is in charge. */
  callManagerAddress: string | null;
  /**
   * The IP they will need once the open failover (failback) completes, with the words that mark it
   * as such: no server controls the system during the window, so nobody is told to use it yet.
   */
  callManagerAfter: { label: string; address: string } | null;
  /** Further warnings of the state (the standby not ready while the secondary is HQ). */
  notes: string[];
}

const WINDOW_HEADLINE: Record<'failover' | 'failback', string> = {
  failover: 'Failover in progress',
  failback: 'Failback in progress',
};

function base(kind: BannerKind, tone: BannerTone, headline: string, detail: string | null, state: LiveState): BannerModel {
  return {
    kind,
    tone,
    headline,
    elapsed: null,
    expected: null,
    expectedNote: null,
    sentence: headline,
    detail,
    losses: lossLines(state.impact),
    globalLoss: state.impact.globalServicesDown ? GLOBAL_LOSS_TEXT : null,
    callManagerAddress: null,
    callManagerAfter: null,
    notes: [],
  };
}

const HQ_DOWN_DETAIL: Record<HqDownCause, (target: string) => string> = {
  'target-down': (target) => `No Headquarters services. The ${target} server must answer again before HQ can move to it: check it first.`,
  'both-down': () => 'No Headquarters services. Neither HQ server answers at all: check both machines and the network to them.',
  'target-unknown': (target) => `No Headquarters services. The ${target} server has not been assessed yet (its probes were just reloaded).`,
  'direction-unknown': () =>
    'No Headquarters services, and hqwatch did not see which server was HQ (it started this way, or after a split brain).',
};

function outageBanner(window: HqWindow | null, state: LiveState, nowMs: number, offsetMs: number): BannerModel {
  const headline = hqDownHeadline(state);
  const target = state.hq.standbyId === PRIMARY_ID ? 'primary' : 'secondary';
  const detail = state.hq.cause ? HQ_DOWN_DETAIL[state.hq.cause](target) : 'No Headquarters services.';
  const banner = base('outage', 'alarm', headline, detail, state);
  if (!window) return banner;
  // An outage has no expected length: elapsed time only, never "typically".
  const elapsed = clockText(windowElapsedMs(window, nowMs, offsetMs));
  return { ...banner, elapsed, sentence: `${headline} — ${elapsed} elapsed` };
}

function moveBanner(window: HqWindow & { kind: 'failover' | 'failback' }, state: LiveState, nowMs: number, offsetMs: number): BannerModel {
  const elapsedMs = windowElapsedMs(window, nowMs, offsetMs);
  const overrun = isOverrun(window, elapsedMs);
  const elapsed = clockText(elapsedMs);
  const range = expectedRangeText(window.expectedMinMs, window.expectedMaxMs);
  const headline = overrun ? `${WINDOW_NAME[window.kind]} overrun` : WINDOW_HEADLINE[window.kind];
  const usual = window.estimate ? estimateText(window.estimate, window.kind) : `typically ${range}`;
  const expected = overrun ? `longer than the usual ${range}` : usual;
  const target = state.hq.targetAddress ?? null;
  return {
    ...base(
      overrun ? 'overrun' : window.kind,
      'alarm',
      headline,
      overrun
        ? `Past the expected maximum of ${clockText(window.expectedMaxMs)}: escalate and check both HQ servers.`
        : 'No Headquarters services until it completes.',
      state,
    ),
    elapsed,
    expected,
    expectedNote: !overrun && window.estimate ? vendorRangeNote(window.estimate, window.kind) : null,
    sentence: `${headline} — ${elapsed} elapsed — ${expected}`,
    callManagerAfter: target
      ? {
          label: `After the ${window.kind} completes, Call Manager users logging in must specify the IP address of the ${window.kind === 'failover' ? 'secondary' : 'primary'} server:`,
          address: target,
        }
      : null,
  };
}

function secondaryAddress(state: LiveState): string | null {
  return state.hq.activeAddress ?? state.nodes.find((node) => node.id === SECONDARY_ID)?.address ?? null;
}

/** Why the standby is not ready, from its node: it answers nothing, or it comes and goes. */
function standbyProblem(state: LiveState): string {
  const node = state.nodes.find((n) => n.id === state.hq.standbyId);
  return node?.flapping ? 'comes and goes (flapping)' : 'does not answer';
}

function standbyLostBanner(state: LiveState): BannerModel {
  const banner = base(
    'standby-lost',
    'warning',
    `Standby not ready: the secondary HQ server ${standbyProblem(state)}`,
    'No service is lost, but a failover could not complete now: check the secondary before anything happens to the primary.',
    state,
  );
  return { ...banner, losses: [], globalLoss: null };
}

/**
 * The banner for a live state at `nowMs` (client clock; `offsetMs` = server − client), or null when
 * HQ is normal with a ready standby. Failovers and failbacks tick from their start against how
 * long they usually take; past the expected maximum they become an overrun alarm. An HQ outage
 * ticks too, but has no expected length.
 */
export function bannerFor(state: LiveState, nowMs: number, offsetMs = 0): BannerModel | null {
  const { hq } = state;
  const window = hq.window;
  if (window && window.kind !== 'outage') return moveBanner({ ...window, kind: window.kind }, state, nowMs, offsetMs);
  if (window || hq.state === 'hq-down') return outageBanner(window, state, nowMs, offsetMs);
  switch (hq.state) {
    case 'primary-active':
      return hq.standby === 'not-ready' ? standbyLostBanner(state) : null;
    case 'secondary-active': {
      const banner = base(
        'secondary-active',
        'warning',
        'Running on the secondary HQ server',
        'Call Manager users logging in now must specify the IP address of the secondary server:',
        state,
      );
      const notes = hq.standby === 'not-ready' ? [`The primary ${standbyProblem(state)}: no failback could complete now.`] : [];
      return { ...banner, callManagerAddress: secondaryAddress(state), notes };
    }
    case 'dual-active':
      return base(
        'dual-active',
        'alarm',
        'Split brain: both HQ servers are serving',
        'Primary and secondary both answer as Headquarters. Site statuses below are computed on the assumption that HQ services are answered, as both servers claim, and every one is marked at risk.',
        state,
      );
    case 'monitor-blind':
      return {
        ...base(
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
