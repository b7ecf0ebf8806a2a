import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../platform.js';

/**
 * GET /ws: a WebSocket that relays realtime-bus topics to the browser.
 * Until the identity capability supplies authentication and per-topic policy, the only topics a
 * client may subscribe to are `test.*`, and only when CARELINE_ENABLE_TEST_CHANNEL is on (tests).
 * Everything else is refused: default deny.
 */
const ZClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topic: z.string().max(128) }),
  z.object({ type: z.literal('unsubscribe'), topic: z.string().max(128) }),
  z.object({ type: z.literal('ping') }),
]);

export type TopicPolicy = (topic: string) => boolean;

export async function installWebSocket(app: FastifyInstance, platform: Platform, policy: TopicPolicy): Promise<void> {
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // Replaces the plugin's default, which runs before any hook of ours and closes without a status
    // code (clients see 1005): 1001 "going away" (RFC 6455 §7.4.1) tells them to reconnect, maybe to
    // another instance, rather than report a failure.
    preClose(done) {
      for (const s of this.websocketServer.clients) s.close(1001, 'server shutting down');
      this.websocketServer.close();
      done();
    },
  });

  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket) => {
    platform.metrics.wsConnections.inc();
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
          if (!policy(parsed.topic)) {
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
