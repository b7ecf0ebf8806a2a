import { createHmac } from 'node:crypto';
import type { TIceServer } from '@careline/contracts';
import type { CarelineConfig } from '../../platform/config/config.js';

/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest-00 §2.2; coturn `use-auth-secret`):
 * username `<expiry unix seconds>:<participant id>`, credential base64(HMAC-SHA1(secret, username)).
 * The TURN server recomputes the HMAC and refuses the username after its expiry time.
 */
export function turnCredential(secret: string, participantId: string, expiresAt: Date): { username: string; credential: string } {
  const username = `${String(Math.floor(expiresAt.getTime() / 1000))}:${participantId}`;
  return { username, credential: createHmac('sha1', secret).update(username, 'utf8').digest('base64') };
}

/** STUN servers as configured, and TURN servers with credentials that end no later than `expiresAt`. */
export function iceServersFor(video: CarelineConfig['video'], participantId: string, expiresAt: Date): TIceServer[] {
  const servers: TIceServer[] = [];
  if (video.stunUrls.length > 0) servers.push({ urls: [...video.stunUrls] });
  if (video.turnUrls.length > 0 && video.turnSecret) servers.push({ urls: [...video.turnUrls], ...turnCredential(video.turnSecret, participantId, expiresAt) });
  return servers;
}
