import PDFDocument from 'pdfkit';
import type { TAfterVisitSummary, TPrescription } from '@careline/contracts';

type Doc = InstanceType<typeof PDFDocument>;

/** Builds a one-column A4 PDF and resolves with the whole file (the pattern of monitoring/billing). */
function render(title: string, build: (doc: Doc) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  build(doc);
  doc.end();
  return done;
}

const heading = (doc: Doc, text: string): void => {
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(text).font('Helvetica').fontSize(10);
};
const line = (doc: Doc, label: string, value: string): void => {
  doc.font('Helvetica-Bold').fontSize(10).text(`${label}: `, { continued: true }).font('Helvetica').text(value || '—');
};
const day = (iso: string): string => iso.slice(0, 10);
const minute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export interface PrescriptionPrint {
  readonly prescription: TPrescription;
  readonly patientName: string;
  readonly patientBirthDate: string | undefined;
}

/** A printable prescription. Careline sends nothing to an e-prescribing network; the paper copy is the order. */
export function prescriptionPdf(p: PrescriptionPrint): Promise<Buffer> {
  const rx = p.prescription;
  return render(`Prescription ${rx.id}`, (doc) => {
    doc.font('Helvetica-Bold').fontSize(16).text('Prescription');
    doc.font('Helvetica').fontSize(9).text(`Reference ${rx.id}`);
    heading(doc, 'Patient');
    line(doc, 'Name', p.patientName);
    if (p.patientBirthDate) line(doc, 'Date of birth', p.patientBirthDate);
    heading(doc, 'Medication');
    line(doc, 'Medication', rx.medication.text);
    if (rx.medication.rxnorm) line(doc, 'RxNorm', rx.medication.rxnorm);
    line(doc, 'Directions', rx.dosage);
    line(doc, 'Quantity', `${String(rx.quantity.value)} ${rx.quantity.unit}`);
    line(doc, 'Refills', String(rx.refills));
    if (rx.note) line(doc, 'Note', rx.note);
    heading(doc, 'Prescriber');
    line(doc, 'Name', rx.prescriber);
    line(doc, 'Date', day(rx.authoredOn));
    doc.moveDown(2).text('Signature: ______________________________');
  });
}

/** The after-visit summary as the patient downloads it. */
export function summaryPdf(s: TAfterVisitSummary): Promise<Buffer> {
  return render(`Visit summary ${day(s.date)}`, (doc) => {
    doc.font('Helvetica-Bold').fontSize(16).text('After-visit summary');
    doc.font('Helvetica').fontSize(10);
    line(doc, 'Visit', minute(s.date));
    line(doc, 'Clinician', s.clinician);
    if (s.signedAt) line(doc, 'Signed', minute(s.signedAt));
    heading(doc, 'Your plan');
    doc.text(s.plan || '—');
    for (const a of s.amendments) {
      doc.moveDown(0.4).font('Helvetica-Oblique').text(`Amendment ${minute(a.date)}, ${a.author}`).font('Helvetica').text(a.text);
    }
    heading(doc, 'Diagnoses');
    doc.text(s.diagnoses.length > 0 ? s.diagnoses.map((d) => `• ${d}`).join('\n') : '—');
    heading(doc, 'Prescriptions');
    doc.text(s.prescriptions.length > 0 ? s.prescriptions.map((p) => `• ${p.medication.text} — ${p.dosage} (${String(p.quantity.value)} ${p.quantity.unit}, refills ${String(p.refills)})`).join('\n') : '—');
    heading(doc, 'Vitals taken');
    doc.text(s.vitals.length > 0 ? s.vitals.map((v) => `• ${v.label}: ${v.value} (${minute(v.effective)})`).join('\n') : '—');
    heading(doc, 'Follow-up');
    doc.text(
      s.followUp.length > 0
        ? s.followUp.map((f) => (f.kind === 'appointment' ? `• Appointment ${f.start ? minute(f.start) : ''}` : `• Book a visit${f.from ? ` between ${f.from} and ${f.to ?? ''}` : ''}${f.note ? `: ${f.note}` : ''}`)).join('\n')
        : '—',
    );
  });
}
