import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const contracts = fileURLToPath(new URL('./packages/contracts/src/index.ts', import.meta.url));
const withPostgres = Boolean(process.env.CARELINE_TEST_DATABASE_URL);

/**
 * Two projects: everything on the embedded database (PGlite), and — when CARELINE_TEST_DATABASE_URL
 * is set — every storage-touching suite (*.int.test.ts) again on PostgreSQL.
 */
const shared = {
  // The video suite runs in its own network namespace (e2e/visits/run.mjs, a step of scripts/test.mjs).
  exclude: [...configDefaults.exclude, 'e2e/visits/**'],
  globalSetup: ['./packages/server/src/test-support/global-setup.ts'],
  env: { TZ: 'UTC' },
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  resolve: { alias: { '@careline/contracts': contracts } },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true as const,
        test: {
          ...shared,
          name: 'pglite',
          include: ['packages/*/src/**/*.test.ts', 'e2e/**/*.test.ts'],
          env: { ...shared.env, CARELINE_TEST_BACKEND: 'pglite' },
        },
      },
      ...(withPostgres
        ? [
            {
              extends: true as const,
              test: {
                ...shared,
                name: 'postgres',
                include: ['packages/*/src/**/*.int.test.ts', 'e2e/**/*.int.test.ts'],
                env: { ...shared.env, CARELINE_TEST_BACKEND: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
