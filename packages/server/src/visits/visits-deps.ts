import type { FastifyRequest } from 'fastify';
import type { AccessContext, FhirStore } from '../fhir/index.js';
import type { Principal } from '../identity/index.js';
import type { Mailer } from '../platform/mail/mailer.js';
import type { Platform } from '../platform/platform.js';

/** What every visits sub-plugin is given. */
export interface VisitsDeps {
  readonly platform: Platform;
  readonly store: FhirStore;
  /** The caller's FHIR access (the one policy); `request` absent for jobs. */
  readonly accessFor: (principal: Principal | undefined, request?: FastifyRequest) => Promise<AccessContext>;
  /** Practitioners on a patient's active care teams. */
  readonly careTeamOf: (patient: string) => Promise<string[]>;
  readonly mailer: Mailer;
  /** Absolute base URL for links in mail (config.publicUrl or the listening address). */
  readonly publicBase: () => string;
}
