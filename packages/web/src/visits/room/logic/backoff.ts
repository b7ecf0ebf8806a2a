/**
 * Reconnect policy of the signaling WebSocket. Pure so it can be tested without sockets.
 */

/** Base and ceiling of the exponential backoff, in milliseconds. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 10_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so a clinic's participants dropped by the same outage do not all
 * reconnect in the same millisecond. `random` is in [0, 1).
 */
export function reconnectDelay(attempt: number, random: number): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 20)));
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(exp / 2 + (exp / 2) * r);
}

/**
 * WebSocket close codes after which reconnecting with the same ticket cannot help (RFC 6455 §7.4;
 * 4000–4999 are the application's own): the server refused the ticket, ended the visit, or we closed.
 */
const FINAL_CLOSE_CODES = new Set([1000, 4401, 4403, 4404, 4409, 4410]);

export function shouldReconnect(closeCode: number, ticketExpiresAt: number, now: number): boolean {
  if (FINAL_CLOSE_CODES.has(closeCode)) return false;
  // An expired ticket is refused anyway; the room asks the join endpoint for a new one instead.
  return now < ticketExpiresAt;
}
