import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/no-real-aws.ts'],
    globalSetup: ['test/setup/cli-bundle.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on the simulator's latency, pacing and timeouts rather than the CPU: three
    // workers on two cores measured 98 s against 165 s for the default.
    maxWorkers: 3,
  },
});
