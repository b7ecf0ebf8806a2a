import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from 'otplib';
import { bearer, callJson, expectJson, inPool } from './api.js';

/** The demo clinic's clinician: care teams over every demo patient (packages/server/src/demo). */
export const CLINICIAN_EMAIL = 'dr.ortiz@valle-verde.example.org';

export interface BenchDevice {
  /** `Device/<id>` */
  readonly ref: string;
  /** `Patient/<id>` */
  readonly patient: string;
  /** `cld_…` bearer for the webhook. */
  readonly token: string;
  /** SHA-1 hex of the Nightscout secret, as uploaders send it in `api-secret`. */
  readonly apiSecretSha1: string;
}

export interface World {
  /** The clinician's access token (TOTP enrolled, signed in with a recovery code). */
  readonly clinicianToken: string;
  /** `Practitioner/<id>` of the clinician. */
  readonly practitioner: string;
  readonly patients: readonly string[];
  /** BP cuffs, `cuffsPerPatient` per patient, patient by patient. */
  readonly cuffs: readonly BenchDevice[];
  /** One CGM uploader per patient. */
  readonly cgms: readonly BenchDevice[];
  readonly setupMs: number;
}

export interface WorldPlan {
  readonly patients: number;
  readonly cuffsPerPatient: number;
}

const SETUP_WIDTH = 4;

/** Staff must enrol TOTP: login → enrolment token → setup → confirm → login with a recovery code. */
async function signInClinician(base: string, password: string): Promise<string> {
  const first = await callJson('POST', `${base}auth/login`, { email: CLINICIAN_EMAIL, password });
  if (first.status === 200) return (JSON.parse(first.body) as { accessToken: string }).accessToken;
  const enrolment = first.headers['careline-enrolment-token'];
  if (first.status !== 401 || typeof enrolment !== 'string') throw new Error(`login: HTTP ${first.status}: ${first.body.slice(0, 300)}`);
  const { secret } = await expectJson<{ secret: string }>('POST', `${base}auth/mfa/totp/setup`, undefined, 200, bearer(enrolment));
  const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>('POST', `${base}auth/mfa/totp/confirm`, { otp: await generate({ secret }) }, 200, bearer(enrolment));
  const { accessToken } = await expectJson<{ accessToken: string }>('POST', `${base}auth/login`, { email: CLINICIAN_EMAIL, password, otp: recoveryCodes[0] }, 200);
  return accessToken;
}

interface SearchBundle {
  readonly entry?: readonly { readonly resource?: { readonly id?: string } }[];
  readonly link?: readonly { readonly relation?: string; readonly url?: string }[];
}

/** Every Patient the clinician may see (the demo's: all on their care teams), following `next` links. */
async function listPatients(base: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  let url: string | undefined = `${base}fhir/R4/Patient?_count=100&_elements=id`;
  while (url) {
    const page: SearchBundle = await expectJson<SearchBundle>('GET', url, undefined, 200, { ...bearer(token), accept: 'application/fhir+json' });
    for (const e of page.entry ?? []) if (e.resource?.id) ids.push(`Patient/${e.resource.id}`);
    url = page.link?.find((l) => l.relation === 'next')?.url;
  }
  return ids;
}

async function assignDevice(base: string, token: string, patient: string, kind: 'bp-cuff' | 'cgm', serial: string): Promise<BenchDevice> {
  const body = kind === 'cgm' ? { patient, kind, manufacturer: 'Dexcom', model: 'G7 via xDrip+', serial } : { patient, kind, manufacturer: 'Omron', model: 'BP7350', serial };
  const d = await expectJson<{ device: string; token: string; nightscout: { apiSecret: string } }>('POST', `${base}api/monitoring/devices`, body, 201, bearer(token));
  return { ref: d.device, patient, token: d.token, apiSecretSha1: createHash('sha1').update(d.nightscout.apiSecret).digest('hex') };
}

/**
 * A fresh database's demo clinic (POST /api/setup/demo with `plan.patients` patients), its clinician
 * signed in, every patient enrolled in hypertension and diabetes-cgm (so BP and CGM readings both
 * meet rules), and devices assigned through the API: BP cuffs for the webhook, a CGM uploader for
 * Nightscout.
 */
export async function buildWorld(base: string, plan: WorldPlan): Promise<World> {
  const t = performance.now();
  const demo = await expectJson<{ password: string; accounts: { email: string; fhirUser: string | null }[] }>('POST', `${base}api/setup/demo`, { patients: plan.patients }, 201);
  const practitioner = demo.accounts.find((a) => a.email === CLINICIAN_EMAIL)?.fhirUser;
  if (!practitioner) throw new Error(`the demo has no ${CLINICIAN_EMAIL}`);
  const token = await signInClinician(base, demo.password);
  const patients = await listPatients(base, token);
  if (patients.length < plan.patients) throw new Error(`the clinician sees ${patients.length} patients, expected ${plan.patients}`);
  const today = new Date().toISOString().slice(0, 10);
  await inPool(patients, SETUP_WIDTH, async (patient) => {
    for (const program of ['hypertension', 'diabetes-cgm']) {
      await expectJson('POST', `${base}api/monitoring/enrollments`, { patient, program, consentDate: today, setupDate: today }, 201, bearer(token));
    }
  });
  const cuffPlan = patients.flatMap((p, i) => Array.from({ length: plan.cuffsPerPatient }, (_, k) => ({ p, serial: `BENCH-BP-${i}-${k}` })));
  const cuffs = await inPool(cuffPlan, SETUP_WIDTH, ({ p, serial }) => assignDevice(base, token, p, 'bp-cuff', serial));
  const cgms = await inPool(patients, SETUP_WIDTH, (p, i) => assignDevice(base, token, p, 'cgm', `BENCH-CGM-${i}`));
  // Let the set-up's audit and change-feed work drain before anything is measured.
  await sleep(1000);
  return { clinicianToken: token, practitioner, patients, cuffs, cgms, setupMs: performance.now() - t };
}
