import { assertLoopbackOnly, insideNamespace } from '../support/netns.js';

/**
 * Refuses to run the video tests anywhere but inside the loopback-only namespace that
 * e2e/visits/run.mjs creates, and checks that it is one (not merely that the variable is set).
 */
export default async function setup(): Promise<void> {
  if (!insideNamespace()) {
    throw new Error('The video e2e tests run inside a loopback-only network namespace: start them with `node e2e/visits/run.mjs` (as root), not with vitest directly.');
  }
  await assertLoopbackOnly();
}
