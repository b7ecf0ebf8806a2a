import { isJsonObject, nonEmptyString, stringsOf } from '../definitions/json-value.js';
import { EARLIEST_INSTANT, LATEST_INSTANT, dateRange, type InstantRange } from './date-range.js';
import { isPrimitiveNode, type TypedNode } from './fhirpath-engine.js';
import type { RowSink } from './row-sink.js';

/** Date rows per https://hl7.org/fhir/R4/search.html#date: every value is the range it covers. */
export function addDateRows(sink: RowSink, param: string, node: TypedNode): void {
  const { type, value } = node;
  if (typeof value === 'string') {
    if (isPrimitiveNode(node)) add(sink, param, dateRange(value));
    return;
  }
  if (!isJsonObject(value)) return;
  if (type === 'Period') {
    add(sink, param, periodRange(value.start, value.end));
  } else if (type === 'Timing') {
    // "the specified scheduling details are ignored and only the outer limits matter": each event,
    // plus the bounds of a repeating schedule.
    for (const event of stringsOf(value.event)) add(sink, param, dateRange(event));
    const repeat = value.repeat;
    if (isJsonObject(repeat) && isJsonObject(repeat.boundsPeriod)) add(sink, param, periodRange(repeat.boundsPeriod.start, repeat.boundsPeriod.end));
  }
}

/** A missing start or end leaves that side open (https://hl7.org/fhir/R4/datatypes.html#Period). */
function periodRange(start: unknown, end: unknown): InstantRange | null {
  const s = nonEmptyString(start);
  const e = nonEmptyString(end);
  if (s === null && e === null) return null;
  const low = s === null ? EARLIEST_INSTANT : dateRange(s)?.low;
  const high = e === null ? LATEST_INSTANT : dateRange(e)?.high;
  // per-1: a start after the end is invalid and matches nothing sensible; it gets no row.
  return low !== undefined && high !== undefined && low <= high ? { low, high } : null;
}

function add(sink: RowSink, param: string, range: InstantRange | null): void {
  if (range) sink.add({ kind: 'date', param, low: range.low, high: range.high });
}
