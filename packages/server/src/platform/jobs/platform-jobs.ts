import type { Platform } from '../platform.js';

/** Jobs the platform itself needs. The bus-payload purge is also the example of a scheduled job. */
export const PURGE_BUS_PAYLOADS = 'purge-bus-payloads';
const KEEP_BUS_PAYLOADS_SECONDS = 3600;

export function registerPlatformJobs(platform: Platform): void {
  platform.jobs.define({
    name: PURGE_BUS_PAYLOADS,
    cron: '*/10 * * * *',
    handler: async () => {
      const removed = await platform.bus.purgeOldPayloads(KEEP_BUS_PAYLOADS_SECONDS);
      if (removed > 0) platform.log.info({ removed }, 'purged old realtime payloads');
    },
  });
}
