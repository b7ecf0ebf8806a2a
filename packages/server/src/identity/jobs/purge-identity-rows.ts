import type { IdentityContext } from '../identity-context.js';

export const PURGE_IDENTITY_ROWS = 'identity-purge';
const HOUR = 3_600_000;
/** Ended sessions and used or expired links stay a day (support questions), then go. */
const KEEP_ENDED_MS = 24 * HOUR;
/** Failed logins count within one hour (the lockout window, docs/API.md); older ones mean nothing. */
const FAILURE_WINDOW_MS = HOUR;

export interface PurgeCounts {
  readonly sessions: number;
  readonly loginFailures: number;
  readonly mailTokens: number;
}

/** Removes rows that no longer decide anything, so the auth tables stay small. */
export async function purgeIdentityRows(ctx: IdentityContext): Promise<PurgeCounts> {
  const now = ctx.now().getTime();
  return {
    sessions: await ctx.sessions.purge(new Date(now - KEEP_ENDED_MS)),
    loginFailures: await ctx.accounts.purgeLoginFailures(new Date(now - FAILURE_WINDOW_MS)),
    mailTokens: await ctx.mailTokens.purge(new Date(now - KEEP_ENDED_MS)),
  };
}

/** Every hour, on one instance (pg-boss schedules it once across instances). */
export function definePurgeJob(ctx: IdentityContext): void {
  ctx.platform.jobs.define({
    name: PURGE_IDENTITY_ROWS,
    cron: '23 * * * *',
    handler: async () => {
      const removed = await purgeIdentityRows(ctx);
      if (removed.sessions + removed.loginFailures + removed.mailTokens > 0) ctx.platform.log.info(removed, 'purged ended identity rows');
    },
  });
}
