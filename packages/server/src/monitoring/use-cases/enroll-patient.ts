import { randomUUID } from 'node:crypto';
import type { AccessContext, FhirStore } from '../../fhir/index.js';
import type { UserPrincipal } from '../../identity/index.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { patientClinicFor } from '../devices/enroll-device.js';
import { PROGRAM_DEFAULTS } from '../rules/program-defaults.js';
import { EnrollmentRepository } from '../storage/enrollment-repository.js';
import type { TEnrollBody } from './enroll-patient.types.js';

export const PROGRAM_SYSTEM = 'urn:careline:monitoring-program';
export const RULES_EXTENSION = 'urn:careline:extension:monitoring-rules';

/**
 * Enrols a patient in a monitoring program: a FHIR CarePlan (the record, written with the caller's
 * own access, carrying the rules in an extension) and the enrolment row ingestion reads. Only the
 * patient's clinical team may; a second active enrolment in the same program is 409.
 */
export async function enrollPatient(store: FhirStore, db: Database, ctx: AccessContext, user: UserPrincipal, body: TEnrollBody): Promise<{ id: string; carePlan: string; program: string; rules: unknown[] }> {
  const organization = await patientClinicFor(store, ctx, user, body.patient);
  const rules = body.rules ?? [...PROGRAM_DEFAULTS[body.program]];
  const id = randomUUID();
  return db.transaction(async (tx) => {
    const plan = await store.create(
      ctx,
      {
        resourceType: 'CarePlan',
        status: 'active',
        intent: 'plan',
        category: [{ coding: [{ system: PROGRAM_SYSTEM, code: body.program }] }],
        title: `Remote monitoring: ${body.program}`,
        subject: { reference: body.patient },
        period: { start: new Date().toISOString().slice(0, 10) },
        extension: [{ url: RULES_EXTENSION, valueString: JSON.stringify(rules) }],
      },
      tx,
    );
    const carePlanId = String(plan.resource.id);
    const ok = await new EnrollmentRepository(tx).insert({
      id, patient: body.patient, program: body.program, organizationId: organization, carePlanId, rules,
      consentDate: body.consentDate ?? null, setupDate: body.setupDate ?? null, enrolledBy: `User/${user.accountId}`,
      // The one billing practitioner per patient per period (CMS): the enrolling clinician unless changed.
      billingPractitioner: user.fhirUser?.startsWith('Practitioner/') ? user.fhirUser : null,
    });
    if (!ok) throw new CarelineError('conflict', [{ diagnostics: `${body.patient} is enrolled in ${body.program} already.`, expression: ['program'] }]);
    return { id, carePlan: `CarePlan/${carePlanId}`, program: body.program, rules };
  });
}
