/**
 * The visit record (issue #6 item 7): the clinician's SOAP note (autosave under a version, sign,
 * amendments), diagnoses, prescriptions, telepresenter vitals and the patient's after-visit summary.
 * Shapes are the server's own zod contracts (@careline/contracts, record.ts).
 */
import {
  ZAfterVisitSummary,
  ZDiagnosis,
  ZNote,
  ZPrescription,
  ZSummaryList,
  ZVisitRecord,
  ZVitalsResponse,
  type TDiagnosisInput,
  type TPrescriptionInput,
  type TSoap,
  type TVitalsInput,
} from '@careline/contracts';
import type { z } from 'zod';
import { request, type RequestOptions } from './http';

async function call<T>(path: string, schema: z.ZodType<T>, options: RequestOptions = {}): Promise<T> {
  return (await request<T>(path, schema, options)).data;
}
const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const visit = (appointmentId: string) => `/api/visits/${encodeURIComponent(appointmentId)}`;

export const recordKeys = {
  record: (appointmentId: string) => ['record', appointmentId] as const,
  summary: (appointmentId: string) => ['record', appointmentId, 'summary'] as const,
  summaries: ['record', 'summaries'] as const,
};

export const visitRecord = async (appointmentId: string, signal?: AbortSignal) => call(`${visit(appointmentId)}/record`, ZVisitRecord, opts(signal));

/** Saves the whole draft; `version` is the one last seen (0 before the first save). A stale version answers 412. */
export const saveNote = async (appointmentId: string, soap: TSoap, version: number) => call(`${visit(appointmentId)}/note`, ZNote, { method: 'PUT', body: { soap, version } });

export const signNote = async (appointmentId: string, version: number) => call(`${visit(appointmentId)}/note/sign`, ZNote, { method: 'POST', body: { version } });

export const addAmendment = async (appointmentId: string, text: string) => call(`${visit(appointmentId)}/note/amendments`, ZNote, { method: 'POST', body: { text } });

export const addDiagnosis = async (appointmentId: string, input: TDiagnosisInput) => call(`${visit(appointmentId)}/diagnoses`, ZDiagnosis, { method: 'POST', body: input });

export const removeDiagnosis = async (appointmentId: string, id: string) =>
  (await request(`${visit(appointmentId)}/diagnoses/${encodeURIComponent(id)}`, null, { method: 'DELETE' })).data;

export const addPrescription = async (appointmentId: string, input: TPrescriptionInput) => call(`${visit(appointmentId)}/prescriptions`, ZPrescription, { method: 'POST', body: input });

export const removePrescription = async (appointmentId: string, id: string) =>
  (await request(`${visit(appointmentId)}/prescriptions/${encodeURIComponent(id)}`, null, { method: 'DELETE' })).data;

/** The printable prescription (opened in a new tab; the session cookie authenticates it). */
export const prescriptionPdfUrl = (appointmentId: string, id: string) => `${visit(appointmentId)}/prescriptions/${encodeURIComponent(id)}.pdf`;

export const recordVitals = async (appointmentId: string, input: TVitalsInput) => (await call(`${visit(appointmentId)}/vitals`, ZVitalsResponse, { method: 'POST', body: input })).vitals;

export const afterVisitSummary = async (appointmentId: string, signal?: AbortSignal) => call(`${visit(appointmentId)}/summary`, ZAfterVisitSummary, opts(signal));

export const summaryPdfUrl = (appointmentId: string) => `${visit(appointmentId)}/summary.pdf`;

export const mySummaries = async (signal?: AbortSignal) => (await call('/api/visits/summaries', ZSummaryList, opts(signal))).summaries;
