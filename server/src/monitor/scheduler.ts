/** One round as the scheduler starts it. Times are on the scheduler's monotonic clock, in ms. */
export interface Round {
  /** 0, 1, 2…: rounds actually run, without gaps. */
  index: number;
  /**
   * The event loop stalled for more than half an interval since the previous round started (or
   * this round's own timer fired that late): results may reflect the monitor's pause, not the targets.
   */
  late: boolean;
  /** The slot on the interval grid this round stands for. */
  plannedAt: number;
  startedAt: number;
}

export interface SchedulerOptions {
  intervalMs: number;
  onRound: (round: Round) => Promise<void>;
  /** Monotonic milliseconds; `performance.now()` by default. */
  now?: () => number;
  /** Told of a round that rejected; the scheduler carries on. Logged to stderr by default. */
  onError?: (error: unknown, round: Round) => void;
}

export interface Scheduler {
  start(): void;
  /** Stops planning rounds; resolves once the round in flight, if any, has finished. */
  stop(): Promise<void>;
  /** Changes the cadence; the new grid starts from the last round's slot. */
  setInterval(ms: number): void;
}

function checkedInterval(ms: number): number {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`interval must be a positive number of ms, got ${ms}`);
  return ms;
}

/**
 * Lateness of a repeating heartbeat: how long the event loop was blocked at most since last asked.
 * A round's own timer only sees stalls that happen while it waits; the heartbeat also sees one that
 * happens during a round, whose end then pushes the next round past its slot.
 */
function createStallWatch(now: () => number) {
  let timer: ReturnType<typeof setInterval> | undefined;
  let last = 0;
  let tickMs = 0;
  let worst = 0;
  return {
    start(intervalMs: number): void {
      this.stop();
      tickMs = Math.min(Math.max(intervalMs / 4, 10), 1_000);
      last = now();
      timer = setInterval(() => {
        const at = now();
        worst = Math.max(worst, at - last - tickMs);
        last = at;
      }, tickMs);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
    /** The longest stall seen since the previous call, counting the current one still in progress. */
    take(): number {
      const current = timer ? now() - last - tickMs : 0;
      const result = Math.max(worst, current);
      worst = 0;
      return result;
    },
  };
}

/**
 * Runs `onRound` every `intervalMs` on a monotonic clock. Rounds are planned on a fixed grid
 * (start + k × interval), so the time a round takes never shifts the next ones. A round never
 * overlaps the previous one: when a round outlasts its interval, the next starts as soon as it ends,
 * standing for the latest slot it missed, and the slots in between are skipped rather than run in a
 * burst. Only a stalled event loop makes a round `late`; waiting on a slow predecessor does not,
 * since a target that slows every round down must still be judged.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? (() => performance.now());
  const onError = options.onError ?? ((error, round) => console.error(`hqwatch: round ${round.index} failed`, error));
  const stalls = createStallWatch(now);
  let intervalMs = checkedInterval(options.intervalMs);
  let started = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | null = null;
  /** The grid: slot k is at `origin + k × intervalMs`, computed afresh so rounding never accumulates. */
  let origin = 0;
  let lastSlot: number | null = null;
  let nextIndex = 0;

  const arm = (slot: number, plannedAt: number): void => {
    const wait = Math.max(0, plannedAt - now());
    const due = now() + wait;
    timer = setTimeout(() => begin(slot, plannedAt, due), wait);
  };

  const planNext = (): void => {
    const at = now();
    if (lastSlot === null) {
      origin = at;
      return arm(0, at);
    }
    let slot = lastSlot + 1;
    if (origin + slot * intervalMs <= at) slot = Math.max(slot, Math.floor((at - origin) / intervalMs));
    arm(slot, origin + slot * intervalMs);
  };

  const begin = (slot: number, plannedAt: number, due: number): void => {
    timer = undefined;
    const startedAt = now();
    const stalledMs = Math.max(startedAt - due, stalls.take());
    const round: Round = { index: nextIndex++, late: stalledMs > intervalMs / 2, plannedAt, startedAt };
    lastSlot = slot;
    inFlight = run(round);
  };

  const run = async (round: Round): Promise<void> => {
    try {
      await options.onRound(round);
    } catch (error) {
      onError(error, round);
    }
    inFlight = null;
    if (started) planNext();
  };

  return {
    start(): void {
      if (started) return;
      started = true;
      stalls.start(intervalMs);
      // A round still finishing from before a stop plans the next one itself when it ends.
      if (inFlight) return;
      lastSlot = null;
      planNext();
    },
    async stop(): Promise<void> {
      started = false;
      clearTimeout(timer);
      timer = undefined;
      stalls.stop();
      await inFlight;
    },
    setInterval(ms: number): void {
      const next = checkedInterval(ms);
      // The new grid starts at the last round's slot.
      if (lastSlot !== null) {
        origin += lastSlot * intervalMs;
        lastSlot = 0;
      }
      intervalMs = next;
      if (!started) return;
      stalls.start(intervalMs);
      if (timer !== undefined) {
        clearTimeout(timer);
        planNext();
      }
    },
  };
}
