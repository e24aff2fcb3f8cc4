import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', root: './shared', include: ['test/**/*.test.ts', 'src/**/*.test.ts'] } },
      {
        test: {
          name: 'server',
          root: './server',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          testTimeout: 30_000,
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
