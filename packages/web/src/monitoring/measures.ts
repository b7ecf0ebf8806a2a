/**
 * The measures the dashboard charts, with the server's names and LOINC codes
 * (packages/server/src/monitoring/ingest/vital-kinds.ts) and the monitoring programs.
 */
export const MEASURE_CODES = {
  systolic: '8480-6',
  diastolic: '8462-4',
  'heart-rate': '8867-4',
  spo2: '59408-5',
  weight: '29463-7',
  temperature: '8310-5',
  'respiratory-rate': '9279-1',
  glucose: '2339-0',
  'cgm-glucose': '99504-3',
  'peak-flow': '19935-6',
} as const;
export type MeasureName = keyof typeof MEASURE_CODES;

const BY_CODE = new Map<string, MeasureName>(Object.entries(MEASURE_CODES).map(([name, code]) => [code, name as MeasureName]));

/** The measure of a LOINC code (the panel reports codes), or undefined for one the app does not chart. */
export function measureOfCode(code: string): MeasureName | undefined {
  return BY_CODE.get(code);
}

export const PROGRAMS = ['hypertension', 'heart-failure', 'diabetes-meter', 'diabetes-cgm', 'copd-asthma', 'post-operative'] as const;
export type ProgramId = (typeof PROGRAMS)[number];
export const isProgram = (p: string): p is ProgramId => (PROGRAMS as readonly string[]).includes(p);

/** One trend chart: blood pressure draws systolic and diastolic together. */
export const CHARTS = [
  { id: 'bp', measures: ['systolic', 'diastolic'] },
  { id: 'weight', measures: ['weight'] },
  { id: 'spo2', measures: ['spo2'] },
  { id: 'heart-rate', measures: ['heart-rate'] },
  { id: 'glucose', measures: ['glucose'] },
] as const satisfies readonly { id: string; measures: readonly MeasureName[] }[];
export type ChartId = (typeof CHARTS)[number]['id'];

const PROGRAM_CHARTS: Readonly<Record<ProgramId, readonly ChartId[]>> = {
  hypertension: ['bp', 'heart-rate'],
  'heart-failure': ['weight', 'bp', 'heart-rate'],
  'diabetes-meter': ['glucose'],
  'diabetes-cgm': ['glucose'],
  'copd-asthma': ['spo2', 'heart-rate'],
  'post-operative': ['heart-rate', 'bp'],
};

/**
 * The charts a patient's programs call for, most telling first; every chart when no program is
 * known (a patient whose enrolment ended still has readings to look at).
 */
export function chartsFor(programs: readonly string[]): readonly ChartId[] {
  const wanted = [...new Set(programs.filter(isProgram).flatMap((p) => PROGRAM_CHARTS[p]))];
  return wanted.length > 0 ? wanted : CHARTS.map((c) => c.id);
}

export const measuresOf = (chart: ChartId): readonly MeasureName[] => CHARTS.find((c) => c.id === chart)?.measures ?? [];

/** Canonical units the server stores each measure in (symbols; unitLabel() renders "beats/minute"). */
export const MEASURE_UNITS: Readonly<Record<MeasureName, string>> = {
  systolic: 'mmHg',
  diastolic: 'mmHg',
  'heart-rate': 'beats/minute',
  spo2: '%',
  weight: 'kg',
  temperature: 'Cel',
  'respiratory-rate': 'breaths/minute',
  glucose: 'mg/dL',
  'cgm-glucose': 'mg/dL',
  'peak-flow': 'L/min',
};
