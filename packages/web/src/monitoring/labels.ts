import type { TFunction } from 'i18next';
import type { TRanges } from '../api/monitoring-api';
import type { ChartId, MeasureName } from './measures';
import type { ReadingType } from './reading-form';

/** Labels of the feature's enumerations, in the user's language (typed keys, no string building). */
export function programLabel(t: TFunction, program: string): string {
  switch (program) {
    case 'hypertension':
      return t('rpm.programs.hypertension');
    case 'heart-failure':
      return t('rpm.programs.heartFailure');
    case 'diabetes-meter':
      return t('rpm.programs.diabetesMeter');
    case 'diabetes-cgm':
      return t('rpm.programs.diabetesCgm');
    case 'copd-asthma':
      return t('rpm.programs.copdAsthma');
    case 'post-operative':
      return t('rpm.programs.postOperative');
    default:
      return program;
  }
}

export function measureLabel(t: TFunction, measure: string): string {
  const keys = {
    systolic: 'rpm.measures.systolic',
    diastolic: 'rpm.measures.diastolic',
    'heart-rate': 'rpm.measures.heartRate',
    spo2: 'rpm.measures.spo2',
    weight: 'rpm.measures.weight',
    glucose: 'rpm.measures.glucose',
    'cgm-glucose': 'rpm.measures.cgmGlucose',
    temperature: 'rpm.measures.temperature',
    'respiratory-rate': 'rpm.measures.respiratoryRate',
    'peak-flow': 'rpm.measures.peakFlow',
  } as const;
  return measure in keys ? t(keys[measure as MeasureName]) : measure;
}

export function chartLabel(t: TFunction, chart: ChartId): string {
  const keys = { bp: 'rpm.charts.bp', weight: 'rpm.charts.weight', spo2: 'rpm.charts.spo2', 'heart-rate': 'rpm.charts.heartRate', glucose: 'rpm.charts.glucose' } as const;
  return t(keys[chart]);
}

export function rangeLabel(t: TFunction, range: keyof TRanges): string {
  const keys = { veryHigh: 'rpm.cgm.ranges.veryHigh', high: 'rpm.cgm.ranges.high', inRange: 'rpm.cgm.ranges.inRange', low: 'rpm.cgm.ranges.low', veryLow: 'rpm.cgm.ranges.veryLow' } as const;
  return t(keys[range]);
}

export function readingTypeLabel(t: TFunction, type: ReadingType): string {
  const keys = {
    'blood-pressure': 'rpm.readings.types.bloodPressure',
    weight: 'rpm.readings.types.weight',
    glucose: 'rpm.readings.types.glucose',
    spo2: 'rpm.readings.types.spo2',
    'heart-rate': 'rpm.readings.types.heartRate',
    temperature: 'rpm.readings.types.temperature',
  } as const;
  return t(keys[type]);
}

/** A limit in words: "at or above 180". */
export function comparatorLabel(t: TFunction, comparator: string, value: string): string {
  switch (comparator) {
    case '>=':
      return t('rpm.comparators.ge', { value });
    case '>':
      return t('rpm.comparators.gt', { value });
    case '<=':
      return t('rpm.comparators.le', { value });
    case '<':
      return t('rpm.comparators.lt', { value });
    default:
      return `${comparator} ${value}`;
  }
}

/** A unit symbol as shown next to a value ("beats/minute" reads "bpm"/"lpm"; symbols stay symbols). */
export function unitLabel(t: TFunction, unit: string): string {
  if (unit === 'beats/minute' || unit === '/min') return t('rpm.bpm');
  if (unit === 'Cel') return '°C';
  if (unit === 'degF') return '°F';
  return unit;
}
