import { randomUUID } from 'node:crypto';
import { ORGANIZATION_TAG_SYSTEM, systemContext, type AccessContext, type FhirStore } from '../../fhir/index.js';
import { hasRole, type UserPrincipal } from '../../identity/index.js';
import type { Database } from '../../platform/db/database.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import { DeviceCredentialRepository } from '../storage/device-credential-repository.js';
import { newDeviceToken, newNightscoutSecret, sha1Hex, sha256Hex } from './device-credentials.js';
import { DEVICE_KIND_SYSTEM, type TEnrollDeviceBody, type TEnrolledDevice } from './enroll-device.types.js';

const DISPLAY: Record<TEnrollDeviceBody['kind'], string> = {
  'bp-cuff': 'Blood pressure cuff',
  scale: 'Weighing scale',
  'pulse-oximeter': 'Pulse oximeter',
  'glucose-meter': 'Blood glucose meter',
  cgm: 'Continuous glucose monitor',
  thermometer: 'Thermometer',
  'peak-flow-meter': 'Peak flow meter',
  'uploader-app': 'Uploader app (Nightscout API)',
};

/** Staff who assign and revoke monitoring devices: the patient's clinical team. */
const ENROLLING_ROLES = ['clinician', 'nurse', 'specialist'] as const;

/**
 * The clinic of a patient the caller may see and, in that clinic, holds a clinical role for; else
 * 404 (the same answer as for a patient who does not exist, so nothing is revealed).
 */
export async function patientClinicFor(store: FhirStore, ctx: AccessContext, user: UserPrincipal, patient: string): Promise<string> {
  const patientId = patient.slice('Patient/'.length);
  const read = await store.read(ctx, 'Patient', patientId);
  const clinics = (read.compartments ?? []).filter((c) => c.startsWith('Organization/')).map((c) => c.slice('Organization/'.length));
  const clinic = clinics.find((org) => ENROLLING_ROLES.some((r) => hasRole(user, r, org)));
  if (!clinic) throw new CarelineError('not-found', [{ diagnostics: `${patient} is not known.` }]);
  return clinic;
}

/**
 * Assigns a device to a patient. Only the patient's clinical team may (checked with the caller's own
 * access); FHIR puts Device outside the Patient compartment (clinic-wide, written by admins), so the
 * Device itself is written by the monitoring capability, tagged with the patient's clinic. Then a
 * credential bound to that Device and patient, whose secrets are returned once and stored hashed.
 */
export async function enrollDevice(store: FhirStore, db: Database, ctx: AccessContext, user: UserPrincipal, body: TEnrollDeviceBody, publicUrl: string): Promise<TEnrolledDevice> {
  const organization = await patientClinicFor(store, ctx, user, body.patient);
  const actor = `User/${user.accountId}`;
  const device = await store.create(systemContext('monitoring'), {
    resourceType: 'Device',
    meta: { tag: [{ system: ORGANIZATION_TAG_SYSTEM, code: organization }] },
    status: 'active',
    type: { coding: [{ system: DEVICE_KIND_SYSTEM, code: body.kind, display: DISPLAY[body.kind] }], text: DISPLAY[body.kind] },
    patient: { reference: body.patient },
    ...(body.manufacturer ? { manufacturer: body.manufacturer } : {}),
    ...(body.model ? { modelNumber: body.model } : {}),
    ...(body.serial ? { serialNumber: body.serial } : {}),
  });
  const token = newDeviceToken();
  const apiSecret = newNightscoutSecret();
  const ref = `Device/${String(device.resource.id)}`;
  await new DeviceCredentialRepository(db).insert({ id: randomUUID(), device: ref, patient: body.patient, organizationId: organization, tokenHash: sha256Hex(token), nightscoutSha1: sha1Hex(apiSecret), createdBy: actor });
  return { device: ref, token, nightscout: { url: `${publicUrl.replace(/\/+$/, '')}/api/v1/`, apiSecret } };
}
