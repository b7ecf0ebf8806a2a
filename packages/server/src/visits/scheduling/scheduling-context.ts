import type { FastifyRequest } from 'fastify';
import type { AccessContext } from '../../fhir/index.js';
import type { Principal } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { AppointmentReminders } from '../reminders/reminder-port.js';
import type { JoinLinkIssuer } from '../visit-ports.js';
import type { VisitsDeps } from '../visits-deps.js';

/** What the scheduling use cases share. */
export interface Scheduling {
  readonly deps: VisitsDeps;
  readonly links: JoinLinkIssuer;
  readonly reminders: AppointmentReminders;
  /** Zone of a practitioner who has set no availability yet. */
  readonly defaultZone: string;
  readonly now: () => Date;
}

/** The signed-in caller and their own FHIR access. */
export interface Caller {
  readonly principal: Principal;
  readonly own: AccessContext;
}

export async function callerOf(s: Scheduling, request: FastifyRequest): Promise<Caller> {
  const principal = request.principal;
  if (!principal) throw new CarelineError('unauthorized');
  return { principal, own: await s.deps.accessFor(principal, request) };
}
