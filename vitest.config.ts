import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Attacks measured against the monitor's own round timing (late rounds = 0, event-loop delay): they
 * run on their own after every other test, one file at a time, so what they measure is the attack
 * and not the rest of the suite competing for the same two cores.
 */
const LOAD_TESTS = ['test/security/sync-flood.test.ts', 'test/security/socket-frames.test.ts', 'test/security/history-flood.test.ts'];
/**
 * Tests that hold the server to a time (rounds on time, a lockout's wait to the second, a probe's
 * deadline, a timing side channel): `npm test` runs the other unit tests two files at a time, and
 * these after them, one file at a time, beside nothing else.
 */
const TIMED_TESTS = [
  'test/monitor-lab.test.ts',
  'test/statusdb-poller.test.ts',
  'test/scheduler.test.ts',
  'test/probes-deadline.test.ts',
  'test/probes-stall.test.ts',
  'test/probes-resources.test.ts',
  'test/scenarios.test.ts',
  'test/security/brute-force.test.ts',
  'test/security/brute-force-login.test.ts',
  'test/security/sessions.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      // Property tests run hundreds of generated cases: seconds on a busy machine, never a timing they test.
      { test: { name: 'shared', root: './shared', include: ['test/**/*.test.ts', 'src/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'server',
          root: './server',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...LOAD_TESTS, ...TIMED_TESTS],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'server-timed',
          root: './server',
          include: TIMED_TESTS,
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'server-load',
          root: './server',
          include: LOAD_TESTS,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'client',
          root: './client',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/components/**'],
        },
      },
      {
        // Components mounted in a DOM, compiled by the client's own Vite config as the build does.
        extends: './client/vite.config.ts',
        test: { name: 'client-components', root: './client', environment: 'happy-dom', include: ['test/components/**/*.test.ts'] },
      },
    ],
  },
});
