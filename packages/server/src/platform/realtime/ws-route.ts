import websocket, { type WebSocket } from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../platform.js';

/**
 * GET /ws: a WebSocket that relays realtime-bus topics to the browser.
 * The upgrade is authenticated by the identity capability's guard (cookie or bearer token, Origin
 * checked). Each subscription asks the TopicPolicy given by app.ts: the caller's personal topics
 * (e.g. a practitioner's alerts), and `test.*` only when CARELINE_ENABLE_TEST_CHANNEL is on (tests).
 * Everything else is refused: default deny.
 */
const ZClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topic: z.string().max(128) }),
  z.object({ type: z.literal('unsubscribe'), topic: z.string().max(128) }),
  z.object({ type: z.literal('ping') }),
]);

/** Whether this connection's caller may subscribe to a topic (default deny). */
export type TopicPolicy = (topic: string, request: FastifyRequest) => boolean;

/** A caller may subscribe if any of the policies lets them. */
export function anyOf(...policies: readonly TopicPolicy[]): TopicPolicy {
  return (topic, request) => policies.some((p) => p(topic, request));
}

/**
 * Who may open /ws, supplied by the identity capability: `authorize` runs before the upgrade (throwing
 * answers the HTTP request instead: 401/403), `track` lets it close the socket when the session ends.
 */
export interface WebSocketGuard {
  authorize(request: FastifyRequest): void;
  track(request: FastifyRequest, socket: WebSocket): void;
  /** Sub-protocol to select when a client offers it (bearer tokens travel in a companion sub-protocol). */
  readonly protocol?: string;
}

/**
 * Sockets that capabilities serve on their own paths (the visit room's signaling) with a sub-protocol
 * of their own: path → the protocol selected when the client offers it.
 */
export type PathProtocols = ReadonlyMap<string, string>;

export async function installWebSocket(app: FastifyInstance, platform: Platform, policy: TopicPolicy, guard?: WebSocketGuard, pathProtocols: PathProtocols = new Map()): Promise<void> {
  const protocol = guard?.protocol;
  await app.register(websocket, {
    options: {
      // Room signaling carries SDP offers (contracts/visits.ts allows 200 kB); /ws messages are small.
      maxPayload: 256 * 1024,
      // A client that offers sub-protocols must get one back (RFC 6455 §4.2.2), else it fails the handshake.
      handleProtocols: (offered, req) => {
        const own = pathProtocols.get((req.url ?? '').split('?')[0] ?? '');
        if (own !== undefined && offered.has(own)) return own;
        return protocol !== undefined && offered.has(protocol) ? protocol : false;
      },
    },
    // Replaces the plugin's default, which runs before any hook of ours and closes without a status
    // code (clients see 1005): 1001 "going away" (RFC 6455 §7.4.1) tells them to reconnect, maybe to
    // another instance, rather than report a failure.
    preClose(done) {
      for (const s of this.websocketServer.clients) s.close(1001, 'server shutting down');
      this.websocketServer.close();
      done();
    },
  });

  const preValidation = async (request: FastifyRequest): Promise<void> => guard?.authorize(request);
  app.get('/ws', { websocket: true, schema: { hide: true }, preValidation }, (socket, request) => {
    platform.metrics.wsConnections.inc();
    guard?.track(request, socket);
    const subscriptions = new Map<string, () => void>();
    const send = (msg: unknown): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    };
    socket.on('message', (data: Buffer) => {
      let parsed: z.infer<typeof ZClientMessage>;
      try {
        parsed = ZClientMessage.parse(JSON.parse(data.toString('utf8')));
      } catch {
        send({ type: 'error', code: 'invalid-message', diagnostics: 'Expected {"type":"subscribe"|"unsubscribe","topic":…} or {"type":"ping"}.' });
        return;
      }
      switch (parsed.type) {
        case 'ping':
          send({ type: 'pong' });
          return;
        case 'subscribe': {
          if (!policy(parsed.topic, request)) {
            send({ type: 'error', code: 'forbidden', topic: parsed.topic, diagnostics: 'You may not subscribe to this topic.' });
            return;
          }
          if (!subscriptions.has(parsed.topic)) {
            const topic = parsed.topic;
            subscriptions.set(topic, platform.bus.subscribe(topic, (payload) => send({ type: 'message', topic, payload })));
          }
          send({ type: 'subscribed', topic: parsed.topic });
          return;
        }
        case 'unsubscribe':
          subscriptions.get(parsed.topic)?.();
          subscriptions.delete(parsed.topic);
          send({ type: 'unsubscribed', topic: parsed.topic });
          return;
      }
    });
    socket.on('close', () => {
      for (const off of subscriptions.values()) off();
      subscriptions.clear();
      platform.metrics.wsConnections.dec();
    });
  });
}

export function testChannelPolicy(enabled: boolean): TopicPolicy {
  return (topic) => enabled && /^test\.[a-z0-9._-]{1,100}$/i.test(topic);
}
