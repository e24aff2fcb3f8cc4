import type { WindowEstimate, WindowKind } from './types.ts';

/** Fewer past windows than this say too little about a system: the vendor's range is shown instead. */
export const MIN_WINDOWS_FOR_ESTIMATE = 3;

/** Durations (ms) of this installation's past closed windows, per kind that has an expected length. */
export interface WindowHistory {
  failover: readonly number[];
  failback: readonly number[];
}

export const NO_WINDOW_HISTORY: WindowHistory = { failover: [], failback: [] };

/** The q-quantile of sorted values, linearly interpolated between the two nearest ranks. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * The rounding step of a range ending at `highMs`: whole seconds below a minute and a half, whole
 * minutes below an hour, five minutes beyond. Finer digits would promise a precision that a
 * handful of past windows cannot give.
 */
function stepFor(highMs: number): number {
  if (highMs < 90_000) return 1_000;
  if (highMs < 3_600_000) return 60_000;
  return 300_000;
}

/**
 * How long a failover (or failback) usually takes here, from the durations of past closed windows
 * of the same kind: the median and the interquartile range, widened outwards to the rounding step
 * (so "6–9 min" holds at least the middle half of the past windows). With fewer than
 * {@link MIN_WINDOWS_FOR_ESTIMATE} windows, the vendor's range (`expected`, the configured
 * expected window) stands instead. Pure: the server calls it with what the store holds.
 */
export function estimateWindow(pastMs: readonly number[], expected: { minMs: number; maxMs: number }): WindowEstimate {
  const valid = pastMs.filter((ms) => Number.isFinite(ms) && ms >= 0);
  if (valid.length < MIN_WINDOWS_FOR_ESTIMATE) {
    return { basis: 'vendor', lowMs: expected.minMs, highMs: expected.maxMs, medianMs: null, count: valid.length };
  }
  const sorted = [...valid].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const step = stepFor(q3);
  const lowMs = Math.max(step, Math.floor(q1 / step) * step);
  const highMs = Math.max(lowMs, Math.ceil(q3 / step) * step);
  return { basis: 'history', lowMs, highMs, medianMs: Math.round(quantile(sorted, 0.5)), count: sorted.length };
}

/** The estimate for an open window of `kind` from the history, or undefined for an outage. */
export function estimateFor(
  kind: WindowKind,
  history: WindowHistory,
  expected: { minMs: number; maxMs: number },
): WindowEstimate | undefined {
  if (kind === 'outage') return undefined;
  return estimateWindow(history[kind], expected);
}

/** `6–9 min`, `10–14 s`, `~7 min` when both ends agree; the same unit on both ends. */
export function formatRange(lowMs: number, highMs: number): string {
  const unit = highMs < 90_000 ? { ms: 1_000, name: 's' } : { ms: 60_000, name: 'min' };
  const round = (ms: number) => Math.round((ms / unit.ms) * 10) / 10;
  const [low, high] = [round(lowMs), round(highMs)];
  return low === high ? `${low} ${unit.name}` : `${low}–${high} ${unit.name}`;
}

const PLURAL: Record<'failover' | 'failback', string> = { failover: 'failovers', failback: 'failbacks' };

/**
 * The estimate in words, as the banner, the open-window chart and the postmortem say it:
 * "usually done in ~6–9 min, based on 12 past failovers", or the vendor's
 * "typically 5–20 min" when this installation has too few windows of its own.
 */
export function estimateText(estimate: WindowEstimate, kind: 'failover' | 'failback'): string {
  if (estimate.basis === 'vendor') return `typically ${formatRange(estimate.lowMs, estimate.highMs)}`;
  return `usually done in ~${formatRange(estimate.lowMs, estimate.highMs)}, based on ${estimate.count} past ${estimate.count === 1 ? kind : PLURAL[kind]}`;
}

/** Why the vendor's range is shown: said once beside it, so "typically" is never mistaken for local history. */
export function vendorRangeNote(estimate: WindowEstimate, kind: 'failover' | 'failback'): string | null {
  if (estimate.basis !== 'vendor') return null;
  const past = estimate.count === 0 ? `no past ${kind}` : `only ${estimate.count} past ${estimate.count === 1 ? kind : PLURAL[kind]}`;
  return `the vendor's range: ${past} recorded here (an estimate needs ${MIN_WINDOWS_FOR_ESTIMATE})`;
}
