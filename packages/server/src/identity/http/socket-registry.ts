import type { Principal } from '../principal.js';
import type { RealtimeBus } from '../../platform/realtime/bus.js';
import { SESSIONS_REVOKED_TOPIC, ZSessionsRevoked } from './session-events.js';

/** What the registry needs of a WebSocket (the `ws` library's socket satisfies it). */
export interface ClosableSocket {
  close(code?: number, reason?: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** Close code for "your credentials ended" (4000–4999: application codes, RFC 6455 §7.4.2). */
export const WS_CLOSE_UNAUTHORIZED = 4401;

/**
 * The WebSocket connections of this instance by session and account. A revocation announced on the
 * bus (by any instance) closes the matching connections here within the bus's latency.
 */
export class SocketRegistry {
  private readonly bySession = new Map<string, Set<ClosableSocket>>();
  private readonly byAccount = new Map<string, Set<ClosableSocket>>();

  constructor(bus: RealtimeBus) {
    bus.subscribe(SESSIONS_REVOKED_TOPIC, (payload) => {
      const parsed = ZSessionsRevoked.safeParse(payload);
      if (!parsed.success) return;
      const doomed = new Set<ClosableSocket>();
      if (parsed.data.accountId) for (const s of this.byAccount.get(parsed.data.accountId) ?? []) doomed.add(s);
      for (const id of parsed.data.sessionIds ?? []) for (const s of this.bySession.get(id) ?? []) doomed.add(s);
      for (const s of doomed) s.close(WS_CLOSE_UNAUTHORIZED, 'session ended');
    });
  }

  track(principal: Principal, socket: ClosableSocket): void {
    const add = (map: Map<string, Set<ClosableSocket>>, key: string): void => {
      const set = map.get(key) ?? new Set<ClosableSocket>();
      set.add(socket);
      map.set(key, set);
      socket.once('close', () => {
        set.delete(socket);
        if (set.size === 0) map.delete(key);
      });
    };
    add(this.bySession, principal.sessionId);
    if (principal.kind === 'user') add(this.byAccount, principal.accountId);
  }
}
