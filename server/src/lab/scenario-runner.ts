import { EventEmitter } from 'node:events';
import type { NodeState, StateOptions } from './node-state.ts';
import type { Scenario, ScenarioStep } from './scenario.schema.ts';

/** What the runner drives: a lab, or anything with the same `setState`. */
export interface RunnerTarget {
  setState(nodeId: string, state: NodeState, options?: StateOptions): Promise<unknown>;
}

export interface StepEvent {
  index: number;
  step: ScenarioStep;
  /** 1 for the first pass, 2 after the first loop, … */
  pass: number;
  /** When the step was due, in ms since the pass began (scaled by speed). */
  dueMs: number;
  /** How late it was applied, in ms. */
  lateMs: number;
}

export interface RunnerEvents {
  step: [StepEvent];
  /** A loop started its next pass. */
  pass: [number];
  /** A scenario without loop has applied its last step and reached its duration. */
  done: [];
  /** A step could not be applied; the runner has stopped. */
  failed: [Error];
}

export interface RunnerOptions {
  /** Overrides the scenario's speed. */
  speed?: number;
  /** Monotonic clock in ms. */
  now?: () => number;
}

export interface RunnerStatus {
  name: string;
  speed: number;
  loop: boolean;
  running: boolean;
  pass: number;
  stepsApplied: number;
}

/**
 * Plays a scenario's steps on a lab at their times divided by speed. Each pass is timed from its
 * scheduled start, not from when its steps finished, so a looping demo does not drift.
 */
export class ScenarioRunner extends EventEmitter<RunnerEvents> {
  readonly speed: number;
  private readonly now: () => number;
  private running = false;
  private started = false;
  private pass = 0;
  private stepsApplied = 0;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly target: RunnerTarget,
    readonly scenario: Scenario,
    options: RunnerOptions = {},
  ) {
    super();
    this.speed = options.speed ?? scenario.speed;
    if (!(this.speed > 0 && Number.isFinite(this.speed))) throw new RangeError(`speed must be above 0, got ${this.speed}`);
    if (scenario.loop && scenario.durationMs <= 0) throw new RangeError('a looping scenario needs a duration above 0');
    this.now = options.now ?? (() => performance.now());
  }

  start(): this {
    if (this.started) throw new Error('a runner plays its scenario once; create another');
    this.started = true;
    this.running = true;
    void this.play();
    return this;
  }

  /** Cancels the pending timer; no step is applied after this returns. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.wake?.();
  }

  status(): RunnerStatus {
    return {
      name: this.scenario.name,
      speed: this.speed,
      loop: this.scenario.loop,
      running: this.running,
      pass: this.pass,
      stepsApplied: this.stepsApplied,
    };
  }

  private async play(): Promise<void> {
    const passMs = this.scenario.durationMs / this.speed;
    let passStart = this.now();
    try {
      for (;;) {
        this.pass += 1;
        if (this.pass > 1) this.emit('pass', this.pass);
        for (const [index, step] of this.scenario.steps.entries()) {
          const dueMs = step.atMs / this.speed;
          await this.waitUntil(passStart + dueMs);
          if (!this.running) return;
          await this.target.setState(step.node, step.state, { latencyMs: step.latencyMs, periodMs: step.periodMs });
          if (!this.running) return; // stopped while the state was being applied
          this.stepsApplied += 1;
          this.emit('step', { index, step, pass: this.pass, dueMs, lateMs: Math.max(0, this.now() - passStart - dueMs) });
        }
        await this.waitUntil(passStart + passMs);
        if (!this.running) return;
        if (!this.scenario.loop) break;
        passStart += passMs;
      }
      this.running = false;
      this.emit('done');
    } catch (err) {
      this.running = false;
      this.emit('failed', err instanceof Error ? err : new Error(String(err)));
    }
  }

  private waitUntil(at: number): Promise<void> {
    const delay = at - this.now();
    if (delay <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, delay);
    });
  }
}
