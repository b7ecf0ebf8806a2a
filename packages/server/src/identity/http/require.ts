import type { FastifyRequest } from 'fastify';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { UserPrincipal } from '../principal.js';

/** The signed-in user, or 401 (default deny for every route that acts for someone). */
export function requireUser(request: FastifyRequest): UserPrincipal {
  const p = request.principal;
  if (p?.kind !== 'user') throw new CarelineError('unauthorized');
  return p;
}

/** The account of a signed-in user or of a staff member's enrolment-only token. */
export function requireAccountOrEnrolment(request: FastifyRequest): string {
  if (request.enrolment) return request.enrolment.accountId;
  return requireUser(request).accountId;
}
