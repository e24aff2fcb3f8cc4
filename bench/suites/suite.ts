import type { Figure } from '../lib/results.ts';

export interface SuiteOptions {
  /** Fewer runs: checks the suite itself; its figures are not for publishing. */
  quick: boolean;
  /** Minutes of the soak; null when not asked for. */
  soakMinutes: number | null;
  /** Minutes of the wall soak (`--wall-soak`); null: its own default. */
  wallSoakMinutes: number | null;
  log: (line: string) => void;
}

export interface SuiteOutput {
  figures: Figure[];
  notes: string[];
}

/** One benchmark of the suite; `run` executes in a process of its own. */
export interface Suite {
  name: string;
  title: string;
  /** The benchmark file, from the repository root; a suite whose file is absent is skipped. */
  source: string;
  /** Past this the process is killed and the benchmark reported as failed. */
  timeoutMinutes(options: SuiteOptions): number;
  run(options: SuiteOptions): Promise<SuiteOutput>;
}

export const seconds = (ms: number) => `${ms / 1000} s`;
