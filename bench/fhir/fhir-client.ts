import { httpGet, httpSend } from '../lib/http-probe.js';

/** Set-up calls to the FHIR API (not measured): plain node:http, one request at a time per caller. */

export const FHIR_JSON = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

interface ResponseBundle {
  readonly entry?: readonly { readonly response?: { readonly status?: string; readonly location?: string }; readonly resource?: { readonly id?: string } }[];
  readonly total?: number;
}

/** POSTs a transaction Bundle and returns the ids it created, in entry order. */
export async function postTransaction(fhirBase: string, bundle: string): Promise<string[]> {
  const res = await httpSend('POST', fhirBase, bundle, FHIR_JSON);
  if (res.status !== 200) throw new Error(`transaction: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
  const body = JSON.parse(res.body) as ResponseBundle;
  return (body.entry ?? []).map((e, i) => {
    const id = /^[A-Za-z]+\/([^/]+)\//.exec(e.response?.location ?? '')?.[1];
    if (!id || e.response?.status !== '201') throw new Error(`transaction entry ${i}: ${JSON.stringify(e.response)}`);
    return id;
  });
}

/** One request, checked: the bench stops early if the request it is about to repeat does not work. */
export async function expectStatus(method: 'GET' | 'POST', url: string, body: string | undefined, status: number): Promise<void> {
  const res = method === 'GET' ? await httpGet(url, 30_000) : await httpSend(method, url, body ?? '', FHIR_JSON);
  if (res.status !== status) throw new Error(`${method} ${url}: expected HTTP ${status}, got ${res.status}: ${res.body.slice(0, 500)}`);
}

/** How many live resources of a type the server holds (_summary=count). */
export async function countResources(fhirBase: string, type: string): Promise<number> {
  const res = await httpGet(`${fhirBase}/${type}?_summary=count`, 120_000);
  if (res.status !== 200) throw new Error(`count ${type}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  return (JSON.parse(res.body) as ResponseBundle).total ?? 0;
}

/** Ids of up to `count` resources of a type (the first search page). */
export async function listIds(fhirBase: string, type: string, count: number): Promise<string[]> {
  const res = await httpGet(`${fhirBase}/${type}?_count=${count}`, 120_000);
  if (res.status !== 200) throw new Error(`list ${type}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  return ((JSON.parse(res.body) as ResponseBundle).entry ?? []).flatMap((e) => (e.resource?.id ? [e.resource.id] : []));
}
