import PDFDocument from 'pdfkit';
import type { TBillingReport } from './billing-report.types.js';

const COLUMNS: readonly { title: string; width: number; value: (r: TBillingReport['rows'][number]) => string }[] = [
  { title: 'Patient', width: 130, value: (r) => r.name },
  { title: 'Program', width: 80, value: (r) => r.program },
  { title: 'Period', width: 110, value: (r) => (r.periodStart ? `${r.periodStart} – ${r.periodEnd ?? ''}` : '—') },
  { title: 'Days', width: 35, value: (r) => String(r.deviceDays) },
  { title: 'Time', width: 45, value: (r) => r.managementTime },
  { title: 'Consent', width: 65, value: (r) => r.consentDate ?? 'none' },
  { title: 'Codes', width: 100, value: (r) => r.codes.map((c) => (c.units > 1 ? `${c.code}×${String(c.units)}` : c.code)).join(', ') || '—' },
  { title: 'Notes', width: 190, value: (r) => r.notes.join(' ') },
];

/**
 * The report as a PDF (A4 landscape, one table), generated on the server so the clinic's billing
 * office gets the same document whatever the browser. Resolves with the whole file.
 */
export function billingPdf(r: TBillingReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: `RPM billing ${r.month} - ${r.clinicName}` } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(14).text(`${r.clinicName} — remote monitoring billing, ${r.month}`);
  doc.font('Helvetica').fontSize(9).text(`Time zone ${r.timeZone}. ${r.closed ? `Closed ${r.closed.at}.` : 'Not closed.'} Patients ${String(r.totals.patients)}, billable ${String(r.totals.billablePatients)}.`);
  doc.moveDown();

  const left = doc.page.margins.left;
  const row = (cells: readonly string[], bold: boolean): void => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: (COLUMNS[i]?.width ?? 50) - 4 }))) + 4;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      const w = COLUMNS[i]?.width ?? 50;
      doc.rect(x, y, w, height).stroke('#999999');
      doc.fillColor('#000000').text(c, x + 2, y + 2, { width: w - 4 });
      x += w;
    });
    doc.x = left;
    doc.y = y + height;
  };
  row(COLUMNS.map((c) => c.title), true);
  for (const r2 of r.rows) row(COLUMNS.map((c) => c.value(r2)), false);
  doc.moveDown();
  const totals = Object.entries(r.totals.codes).sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code}: ${String(n)}`).join('   ');
  doc.font('Helvetica-Bold').fontSize(9).text(`Totals   ${totals || 'nothing billable'}`, left);
  doc.end();
  return done;
}
