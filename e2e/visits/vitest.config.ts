import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../../', import.meta.url));
const contracts = fileURLToPath(new URL('../../packages/contracts/src/index.ts', import.meta.url));

/**
 * The video e2e suite, run by e2e/visits/run.mjs inside a loopback-only network namespace (the root
 * vitest.config.ts excludes e2e/visits). One file at a time: each starts Chromium twice, a TURN server
 * and sometimes a PostgreSQL cluster, on two shared cores.
 */
export default defineConfig({
  root,
  resolve: { alias: { '@careline/contracts': contracts } },
  test: {
    name: 'visits',
    include: ['e2e/visits/**/*.test.ts'],
    globalSetup: ['./e2e/visits/global-setup.ts'],
    env: { TZ: 'UTC' },
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
