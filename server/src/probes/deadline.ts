/** What a probe attempt concluded, before timing is added. */
export interface Verdict {
  ok: boolean;
  error?: string;
  /** A failure the probed host itself answered with (refused, an HTTP or SIP error): the host is up. */
  hostAnswered?: boolean;
  /** A round-trip time measured by the attempt itself (ping reports its own); otherwise the elapsed time is used. */
  latencyMs?: number;
}

/** A verdict with its timing. */
export interface Judged {
  ok: boolean;
  latencyMs: number | null;
  error?: string;
  /**
   * On a failure: the probed host answered (a refused connection, an ICMP port-unreachable, any HTTP
   * or SIP response), so it is up though the service is not. Never set by a time-out, an unreachable
   * host or network, or a DNS failure.
   */
  hostAnswered?: boolean;
  /**
   * The event loop stalled while this probe was in flight. An `ok` result stays a pass (its latency,
   * which includes the stall, is dropped); a failure with `stalled` is "no verdict", not a failed probe.
   * Definite failures (refused, HTTP 503, host not found) never carry it: they are true whatever the loop did.
   */
  stalled?: boolean;
}

/**
 * Starts the I/O of a probe and returns the function that releases everything it holds (socket,
 * pending transaction, child process). `settle` may be called more than once or after release; only
 * the first call counts.
 */
export type Attempt = (settle: (verdict: Verdict) => void) => () => void;

/**
 * How late a timer may fire before the lateness is blamed on a blocked event loop rather than on
 * the target: ordinary scheduling jitter on a busy machine stays well below this.
 */
function stallToleranceMs(timeoutMs: number): number {
  return Math.max(250, timeoutMs / 2);
}

/**
 * Runs an attempt under a deadline measured on the monotonic clock.
 *
 * A synchronous stall of the event loop (a long GC, a blocking call) makes the deadline timer fire
 * late, usually before the I/O that completed during the stall has been read. Declaring a timeout
 * then would blame the target for the monitor's own pause, so a late timer grants one fresh window
 * of `timeoutMs`: replies already waiting in the kernel are read and judged, and a target that stays
 * silent through a fair window is a real timeout. If even that window is stalled there is no verdict.
 * Never rejects.
 */
export function judgeWithin(timeoutMs: number, attempt: Attempt): Promise<Judged> {
  return new Promise<Judged>((resolve) => {
    const startedAt = performance.now();
    const tolerance = stallToleranceMs(timeoutMs);
    let stalled = false;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let release: (() => void) | undefined;

    const finish = (judged: Judged): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        release?.();
      } catch {
        // Whatever failed to close is already unusable; the verdict stands.
      }
      resolve(judged);
    };

    const settle = (verdict: Verdict): void => {
      if (settled) return;
      const elapsed = performance.now() - startedAt;
      if (!verdict.ok) {
        const failed: Judged = { ok: false, latencyMs: null, error: verdict.error ?? 'failed' };
        if (verdict.hostAnswered) failed.hostAnswered = true;
        finish(failed);
        return;
      }
      // Read after the deadline had passed without its timer firing: the loop was blocked meanwhile.
      const disturbed = stalled || elapsed > timeoutMs + tolerance;
      if (disturbed) finish({ ok: true, latencyMs: null, stalled: true });
      else finish({ ok: true, latencyMs: roundMs(verdict.latencyMs ?? elapsed) });
    };

    const arm = (): void => {
      const due = performance.now() + timeoutMs;
      timer = setTimeout(() => onDeadline(due), timeoutMs);
    };

    const onDeadline = (due: number): void => {
      const lateBy = performance.now() - due;
      if (lateBy <= tolerance) {
        finish({ ok: false, latencyMs: null, error: `timeout after ${timeoutMs} ms` });
      } else if (!stalled) {
        stalled = true;
        arm();
      } else {
        finish({ ok: false, latencyMs: null, stalled: true, error: `no verdict: the event loop stalled for ${Math.round(lateBy)} ms` });
      }
    };

    arm();
    try {
      const cleanup = attempt(settle);
      if (settled) cleanup();
      else release = cleanup;
    } catch (err) {
      finish({ ok: false, latencyMs: null, error: `probe error: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
}

/** Latency to the microsecond, as ping prints it; finer digits are noise. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
