import { addDateRows } from './date-rows.js';
import type { TypedNode } from './fhirpath-engine.js';
import type { IndexedParamType } from './extraction-plan.js';
import { addNumberRows, addQuantityRows, addUriRows } from './measure-rows.js';
import { addReferenceRows } from './reference-rows.js';
import type { RowSink } from './row-sink.js';
import { addStringRows } from './string-rows.js';
import { addTokenRows } from './token-rows.js';

/** The rows one FHIRPath result gives a parameter of the given type. */
export function addRows(sink: RowSink, type: IndexedParamType, param: string, node: TypedNode, serverBase: string | undefined): void {
  switch (type) {
    case 'token':
      addTokenRows(sink, param, node);
      return;
    case 'string':
      addStringRows(sink, param, node);
      return;
    case 'date':
      addDateRows(sink, param, node);
      return;
    case 'reference':
      addReferenceRows(sink, param, node, serverBase);
      return;
    case 'number':
      addNumberRows(sink, param, node);
      return;
    case 'quantity':
      addQuantityRows(sink, param, node);
      return;
    case 'uri':
      addUriRows(sink, param, node);
      return;
  }
}
