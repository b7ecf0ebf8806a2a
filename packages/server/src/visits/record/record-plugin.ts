import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ZAfterVisitSummary, ZAmendmentInput, ZDiagnosis, ZDiagnosisInput, ZNote, ZNoteSave, ZPrescription, ZPrescriptionInput, ZSummaryList, ZVisitRecord, ZVitalsInput, ZVitalsResponse } from '@careline/contracts';
import { z } from 'zod';
import { requireUser } from '../../identity/index.js';
import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-deps.js';
import { afterVisitSummary, listSummaries, portalPatientOf } from './after-visit-summary.js';
import { billingFactsOf } from './billing-facts.js';
import { addDiagnosis, listDiagnoses, removeDiagnosis } from './diagnoses.js';
import { nameOf } from './fhir-query.js';
import { parseIfMatch } from './if-match.js';
import { addPrescription, listPrescriptions, prescriptionOf, readPrescription, removePrescription } from './prescriptions.js';
import { prescriptionPdf, summaryPdf } from './record-pdf.js';
import { listVitals, recordVitals } from './record-vitals.js';
import { isPatientSide, loadVisit } from './visit-context.js';
import { amendNote, getNote, noteDocuments, noteView, saveNote, signNote } from './visit-note.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const ZVisitParams = z.object({ appointmentId: z.string().regex(ID) });
const ZItemParams = ZVisitParams.extend({ id: z.string().regex(ID) });
const ZPdfParams = ZVisitParams.extend({ file: z.string().regex(/^[A-Za-z0-9\-.]{1,64}\.pdf$/, 'expected <id>.pdf') });
const TAGS = ['visits'];

/** The If-Match header, else the body's version; a malformed header is a 400 naming it. */
function versionFrom(header: string | string[] | undefined, body: number | undefined): number | undefined {
  const parsed = parseIfMatch(header);
  if (parsed === null) throw new CarelineError('bad-request', [{ diagnostics: 'If-Match must name a version, e.g. W/"3".', expression: ['If-Match'] }]);
  return parsed ?? body;
}

/**
 * The visit record (issue #6 item 7): note, diagnoses, prescriptions, vitals, after-visit summary.
 * Routes are thin: each loads the visit with the caller's own access (visit-context.ts) and calls one use case.
 */
export async function recordPlugin(parent: FastifyInstance, options: { readonly deps: VisitsDeps }): Promise<void> {
  const { deps } = options;
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const base = '/api/visits/:appointmentId';

  app.get(`${base}/record`, { schema: { tags: TAGS, params: ZVisitParams, response: { 200: ZVisitRecord } } }, async (request) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    if (isPatientSide(visit.user)) throw new CarelineError('not-found', [{ diagnostics: 'Patients see the after-visit summary.' }]);
    const [docs, diagnoses, prescriptions, vitals, patient] = await Promise.all([
      noteDocuments(deps, visit), listDiagnoses(deps, visit), listPrescriptions(deps, visit), listVitals(deps, visit),
      deps.store.read(visit.ctx, 'Patient', visit.patient.slice('Patient/'.length)),
    ]);
    const e = visit.encounter;
    const period = e?.period as { start?: string; end?: string } | undefined;
    return {
      appointmentId: visit.appointmentId,
      patient: { reference: visit.patient, display: nameOf(patient.resource) ?? visit.patient },
      ...(e?.id ? { encounter: { id: e.id, status: String(e.status), ...(period?.start ? { start: period.start } : {}), ...(period?.end ? { end: period.end } : {}) } } : {}),
      note: noteView(visit, docs),
      diagnoses,
      prescriptions,
      vitals,
      billing: billingFactsOf(e),
    };
  });

  app.get(`${base}/note`, { schema: { tags: TAGS, params: ZVisitParams, response: { 200: ZNote } } }, async (request) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    if (isPatientSide(visit.user)) throw new CarelineError('not-found', [{ diagnostics: 'Patients see the after-visit summary.' }]);
    return getNote(deps, visit);
  });

  app.put(`${base}/note`, { schema: { tags: TAGS, params: ZVisitParams, body: ZNoteSave, response: { 200: ZNote } } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    const note = await saveNote(deps, visit, request.body.soap, versionFrom(request.headers['if-match'], request.body.version));
    return reply.header('etag', `W/"${String(note.version)}"`).send(note);
  });

  app.post(`${base}/note/sign`, { schema: { tags: TAGS, params: ZVisitParams, body: z.object({ version: z.number().int().min(1).optional() }).optional(), response: { 200: ZNote } } }, async (request) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    return signNote(deps, visit, versionFrom(request.headers['if-match'], request.body?.version));
  });

  app.post(`${base}/note/amendments`, { schema: { tags: TAGS, params: ZVisitParams, body: ZAmendmentInput, response: { 201: ZNote } } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    return reply.code(201).send(await amendNote(deps, visit, request.body.text));
  });

  app.post(`${base}/diagnoses`, { schema: { tags: TAGS, params: ZVisitParams, body: ZDiagnosisInput, response: { 201: ZDiagnosis } } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    return reply.code(201).send(await addDiagnosis(deps, visit, request.body));
  });

  app.delete(`${base}/diagnoses/:id`, { schema: { tags: TAGS, params: ZItemParams } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    await removeDiagnosis(deps, visit, request.params.id);
    return reply.code(204).send();
  });

  app.post(`${base}/prescriptions`, { schema: { tags: TAGS, params: ZVisitParams, body: ZPrescriptionInput, response: { 201: ZPrescription } } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    return reply.code(201).send(await addPrescription(deps, visit, request.body));
  });

  app.delete(`${base}/prescriptions/:id`, { schema: { tags: TAGS, params: ZItemParams } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    await removePrescription(deps, visit, request.params.id);
    return reply.code(204).send();
  });

  app.get(`${base}/prescriptions/:file`, { schema: { tags: TAGS, params: ZPdfParams } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    const id = request.params.file.slice(0, -'.pdf'.length);
    const prescription = prescriptionOf(await readPrescription(deps, visit, id));
    const patient = (await deps.store.read(visit.ctx, 'Patient', visit.patient.slice('Patient/'.length))).resource;
    const pdf = await prescriptionPdf({ prescription, patientName: nameOf(patient) ?? visit.patient, patientBirthDate: typeof patient.birthDate === 'string' ? patient.birthDate : undefined });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="prescription-${id}.pdf"`).send(pdf);
  });

  app.post(`${base}/vitals`, { schema: { tags: TAGS, params: ZVisitParams, body: ZVitalsInput, response: { 201: ZVitalsResponse } } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    return reply.code(201).send({ vitals: await recordVitals(deps, visit, request.body) });
  });

  app.get(`${base}/vitals`, { schema: { tags: TAGS, params: ZVisitParams, response: { 200: ZVitalsResponse } } }, async (request) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    return { vitals: await listVitals(deps, visit) };
  });

  app.get(`${base}/summary`, { schema: { tags: TAGS, params: ZVisitParams, response: { 200: ZAfterVisitSummary } } }, async (request) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    return afterVisitSummary(deps, visit);
  });

  app.get(`${base}/summary.pdf`, { schema: { tags: TAGS, params: ZVisitParams } }, async (request, reply) => {
    const visit = await loadVisit(deps, request, request.params.appointmentId);
    const summary = await afterVisitSummary(deps, visit);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="visit-summary-${summary.date.slice(0, 10)}.pdf"`).send(await summaryPdf(summary));
  });

  app.get('/api/visits/summaries', { schema: { tags: TAGS, querystring: z.object({ patient: z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/).optional() }), response: { 200: ZSummaryList } } }, async (request) => {
    const user = requireUser(request);
    const ctx = await deps.accessFor(user, request);
    const patient = await portalPatientOf(deps.store, ctx, user, request.query.patient);
    return listSummaries(deps.store, ctx, patient);
  });
}
