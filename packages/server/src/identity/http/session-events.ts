import { z } from 'zod';
import type { RealtimeBus } from '../../platform/realtime/bus.js';

/**
 * Bus topic telling every instance that sessions ended (logout, disabled account, password reset),
 * so each closes the matching WebSocket connections within seconds.
 */
export const SESSIONS_REVOKED_TOPIC = 'identity.sessions-revoked';

export const ZSessionsRevoked = z.object({
  accountId: z.string().optional(),
  sessionIds: z.array(z.string()).optional(),
});
export type TSessionsRevoked = z.infer<typeof ZSessionsRevoked>;

export async function announceRevoked(bus: RealtimeBus, event: TSessionsRevoked): Promise<void> {
  await bus.publish(SESSIONS_REVOKED_TOPIC, event);
}
