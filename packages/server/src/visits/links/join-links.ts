import { randomUUID } from 'node:crypto';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-deps.js';
import type { IssueJoinLink, IssuedJoinLink, JoinLinkIssuer } from '../visit-ports.js';
import { LinkRepository, type LinkRow } from './link-repository.js';
import { hashJoinToken, JOIN_TOKEN_PATTERN, joinWindow, newJoinToken, windowState } from './link-tokens.js';

/** Failed token look-ups allowed per client address and minute before 429 (issue #6: guessing is rate-limited). */
export const JOIN_FAILURES_PER_MINUTE = 10;

/** Published (every instance) when an appointment's links are revoked: its room ends for everyone. */
export const LINKS_REVOKED_TOPIC = 'visits.links-revoked';
export interface LinksRevoked {
  readonly appointmentId: string;
}

export interface JoinLinks extends JoinLinkIssuer {
  /**
   * The link a token names, if it may be used now: unknown 404 (counted against the address),
   * withdrawn or past its window 410, before its window 409 (opening time in diagnostics),
   * too many failures from the address this minute 429.
   */
  resolve(token: string, sourceIp: string, now?: Date): Promise<LinkRow>;
  guestsOf(appointmentId: string): Promise<LinkRow[]>;
  byId(linkId: string): Promise<LinkRow | undefined>;
  /** Revokes one link of the appointment; false when there was none to revoke. */
  revoke(appointmentId: string, linkId: string): Promise<boolean>;
}

export function createJoinLinks(deps: VisitsDeps): JoinLinks {
  const { db, config, bus, log } = deps.platform;
  const repo = new LinkRepository(db);
  return {
    async issue(request: IssueJoinLink): Promise<IssuedJoinLink> {
      const { validFrom, validUntil } = joinWindow(request.start, request.end, config.video.joinEarlyMinutes, config.video.joinLateMinutes);
      const token = newJoinToken();
      const linkId = randomUUID();
      await repo.insert({
        id: linkId, tokenHash: hashJoinToken(token), appointmentId: request.appointmentId, kind: request.kind,
        participantRef: request.participantRef ?? null, displayName: request.displayName.slice(0, 120), role: request.role?.slice(0, 60) ?? null,
        validFrom, validUntil, createdBy: request.createdBy,
      });
      // The token travels in the fragment: browsers never send it to a server, proxies never log it.
      return { linkId, token, url: `${deps.publicBase()}/visit/join#t=${token}`, validFrom, validUntil };
    },

    async revokeAll(appointmentId: string, reason: string): Promise<number> {
      const n = await repo.revokeAll(appointmentId);
      log.info({ appointment: appointmentId, links: n, reason: reason.slice(0, 40) }, 'visit links revoked');
      await bus.publish(LINKS_REVOKED_TOPIC, { appointmentId } satisfies LinksRevoked);
      return n;
    },

    async resolve(token: string, sourceIp: string, now: Date = new Date()): Promise<LinkRow> {
      if ((await repo.failuresNow(sourceIp)) >= JOIN_FAILURES_PER_MINUTE) throw limited();
      const link = JOIN_TOKEN_PATTERN.test(token) ? await repo.byTokenHash(hashJoinToken(token)) : undefined;
      if (!link) {
        const failures = await repo.countFailure(sourceIp);
        if (failures > JOIN_FAILURES_PER_MINUTE) throw limited();
        throw new CarelineError('not-found', [{ diagnostics: 'This visit link is not known. Check that it was copied whole.', expression: ['token'] }]);
      }
      if (link.revoked_at) throw new CarelineError('join-link-expired', [{ diagnostics: 'This visit link was withdrawn by the clinic.', expression: ['token'] }]);
      const state = windowState({ validFrom: link.valid_from, validUntil: link.valid_until }, now);
      if (state === 'not-open') {
        throw new CarelineError('join-link-not-open', [{ diagnostics: `This visit link opens at ${link.valid_from.toISOString()}.`, expression: ['token'] }]);
      }
      if (state === 'expired') {
        throw new CarelineError('join-link-expired', [{ diagnostics: `This visit link expired at ${link.valid_until.toISOString()}.`, expression: ['token'] }]);
      }
      return link;
    },

    guestsOf: async (appointmentId) => repo.guestsOf(appointmentId),
    byId: async (linkId) => repo.byId(linkId),
    revoke: async (appointmentId, linkId) => repo.revoke(appointmentId, linkId),
  };
}

function limited(): CarelineError {
  return new CarelineError('rate-limited', [{ diagnostics: `Too many unknown visit links from this address; try again in a minute.` }], { 'retry-after': '60' });
}
