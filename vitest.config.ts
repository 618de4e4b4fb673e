import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on a database, a browser or a local server more than on the processor: two at a time on two cores.
    maxWorkers: 2,
    // Each worker loads the app once and runs its files one after another; every file still makes its own databases.
    isolate: false,
    reporters: ['default'],
  },
});
