import { formatElapsed } from '@hqwatch/shared';
import type { Scenario } from './scenario.schema.ts';
import { ScenarioRunner, type RunnerStatus } from './scenario-runner.ts';
import type { Lab } from './lab.ts';

export interface PlayingStatus extends RunnerStatus {
  startedAt: string;
}

/** Holds the one scenario playing on a lab: starting another stops the current one first. */
export class ScenarioPlayer {
  private runner: ScenarioRunner | null = null;
  private startedAt = '';

  constructor(
    private readonly lab: Lab,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  play(scenario: Scenario, options: { speed?: number } = {}): ScenarioRunner {
    this.stop();
    const runner = new ScenarioRunner(this.lab, scenario, { speed: options.speed });
    const tag = `${scenario.name} ×${runner.speed}`;
    runner.on('step', ({ step, pass }) => {
      const extra =
        step.latencyMs !== undefined ? ` (+${step.latencyMs} ms)` : step.periodMs !== undefined ? ` (every ${step.periodMs} ms)` : '';
      this.log(`lab: [${tag}] pass ${pass} at ${formatElapsed(step.atMs)}: ${step.node} → ${step.state}${extra}`);
    });
    runner.on('done', () => this.log(`lab: [${tag}] finished`));
    runner.on('failed', (err) => this.log(`lab: [${tag}] stopped: ${err.message}`));
    this.runner = runner;
    this.startedAt = new Date().toISOString();
    this.log(`lab: playing ${scenario.name} at speed ${runner.speed}${scenario.loop ? ', looping' : ''}: ${scenario.description}`);
    return runner.start();
  }

  /** Stops the playing scenario; false when none was playing. Nodes keep their current states. */
  stop(): boolean {
    const runner = this.runner;
    this.runner = null;
    if (!runner) return false;
    runner.stop();
    runner.removeAllListeners();
    return true;
  }

  current(): PlayingStatus | null {
    return this.runner ? { ...this.runner.status(), startedAt: this.startedAt } : null;
  }
}
