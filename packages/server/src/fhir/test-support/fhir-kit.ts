import { createRequire } from 'node:module';

/**
 * A tiny typed adapter over fhir-kit-client, an external FHIR client written in plain JavaScript.
 * Conformance tests drive the server through it so that they see what any third-party client
 * sees: real HTTP, its URL building, its header handling and its paging. Every answer arrives as
 * `unknown` from the library and is narrowed here, so no `any` leaks into the tests.
 */

/** A FHIR resource as JSON. Tests narrow further where they need a field. */
export interface FhirJson {
  readonly resourceType: string;
  readonly id?: string;
  readonly meta?: { readonly versionId?: string; readonly lastUpdated?: string };
  readonly [element: string]: unknown;
}

export interface BundleEntryJson {
  readonly fullUrl?: string;
  readonly resource?: FhirJson;
  readonly request?: { readonly method: string; readonly url: string; readonly ifNoneExist?: string; readonly ifMatch?: string };
  readonly response?: { readonly status: string; readonly location?: string; readonly etag?: string; readonly outcome?: FhirJson };
  readonly search?: { readonly mode: string };
}

export interface BundleJson extends FhirJson {
  readonly type?: string;
  readonly total?: number;
  readonly link?: readonly { readonly relation: string; readonly url: string }[];
  readonly entry?: readonly BundleEntryJson[];
}

/** One answer: the parsed body (an empty body parses to `{}` in fhir-kit-client) and the HTTP facts. */
export interface FhirAnswer<T extends object = FhirJson> {
  readonly body: T;
  readonly status: number;
  readonly headers: Headers;
}

/** What a non-2xx answer rejects with: fhir-kit-client's error shape, made a typed Error. */
export class FhirKitError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`FHIR request failed with HTTP ${status}`);
    this.name = 'FhirKitError';
  }
}

interface RequestOptions {
  readonly headers?: Record<string, string>;
  /** search only: send the parameters as a form body to Type/_search. */
  readonly postSearch?: boolean;
}

// The part of fhir-kit-client's surface these tests use, as its README documents it.
interface RawClient {
  capabilityStatement(p?: { options?: RequestOptions }): Promise<unknown>;
  create(p: { resourceType: string; body: unknown; options?: RequestOptions }): Promise<unknown>;
  read(p: { resourceType: string; id: string; options?: RequestOptions }): Promise<unknown>;
  vread(p: { resourceType: string; id: string; version: string; options?: RequestOptions }): Promise<unknown>;
  update(p: { resourceType: string; id?: string; searchParams?: Record<string, string>; body: unknown; options?: RequestOptions }): Promise<unknown>;
  patch(p: { resourceType: string; id: string; JSONPatch: unknown; options?: RequestOptions }): Promise<unknown>;
  delete(p: { resourceType: string; id: string; options?: RequestOptions }): Promise<unknown>;
  resourceHistory(p: { resourceType: string; id: string; options?: RequestOptions }): Promise<unknown>;
  typeHistory(p: { resourceType: string; options?: RequestOptions }): Promise<unknown>;
  search(p: { resourceType: string; searchParams: Record<string, string | number>; options?: RequestOptions }): Promise<unknown>;
  /** Resolves to undefined (not a promise) when the Bundle has no next link. */
  nextPage(p: { bundle: unknown; options?: RequestOptions }): Promise<unknown> | undefined;
  transaction(p: { body: unknown; options?: RequestOptions }): Promise<unknown>;
  batch(p: { body: unknown; options?: RequestOptions }): Promise<unknown>;
}

interface RawClientClass {
  new (config: { baseUrl: string }): RawClient;
  httpFor(data: unknown): { response: Response };
}

// fhir-kit-client is CommonJS with `module.exports = Client`; its bundled typings declare an ES
// default export, which NodeNext resolution reads as `{ default }`. require() gets the real class.
const FhirKitClient = createRequire(import.meta.url)('fhir-kit-client') as RawClientClass;

function isFailure(err: unknown): err is { response: { status: number; data: unknown } } {
  const response = (err as { response?: { status?: unknown } } | null)?.response;
  return typeof response?.status === 'number';
}

/** Runs one library call and returns body + status + headers, or throws FhirKitError. */
async function answer<T extends object>(call: () => Promise<unknown>): Promise<FhirAnswer<T>> {
  let data: unknown;
  try {
    data = await call();
  } catch (err) {
    if (isFailure(err)) throw new FhirKitError(err.response.status, err.response.data);
    throw err;
  }
  const { response } = FhirKitClient.httpFor(data);
  return { body: data as T, status: response.status, headers: response.headers };
}

export class FhirKit {
  private readonly raw: RawClient;

  constructor(readonly baseUrl: string) {
    this.raw = new FhirKitClient({ baseUrl });
  }

  capabilityStatement(): Promise<FhirAnswer> {
    return answer(() => this.raw.capabilityStatement());
  }

  create(resource: FhirJson, headers: Record<string, string> = {}): Promise<FhirAnswer> {
    return answer(() => this.raw.create({ resourceType: resource.resourceType, body: resource, options: { headers } }));
  }

  read(resourceType: string, id: string): Promise<FhirAnswer> {
    return answer(() => this.raw.read({ resourceType, id }));
  }

  vread(resourceType: string, id: string, version: string): Promise<FhirAnswer> {
    return answer(() => this.raw.vread({ resourceType, id, version }));
  }

  update(resource: FhirJson & { readonly id: string }, headers: Record<string, string> = {}): Promise<FhirAnswer> {
    return answer(() => this.raw.update({ resourceType: resource.resourceType, id: resource.id, body: resource, options: { headers } }));
  }

  /** Conditional update: PUT Type?criteria (https://hl7.org/fhir/R4/http.html#cond-update). */
  conditionalUpdate(resource: FhirJson, searchParams: Record<string, string>): Promise<FhirAnswer> {
    return answer(() => this.raw.update({ resourceType: resource.resourceType, searchParams, body: resource }));
  }

  patch(resourceType: string, id: string, operations: readonly object[], headers: Record<string, string> = {}): Promise<FhirAnswer> {
    return answer(() => this.raw.patch({ resourceType, id, JSONPatch: operations, options: { headers } }));
  }

  delete(resourceType: string, id: string, headers: Record<string, string> = {}): Promise<FhirAnswer<object>> {
    return answer(() => this.raw.delete({ resourceType, id, options: { headers } }));
  }

  resourceHistory(resourceType: string, id: string): Promise<FhirAnswer<BundleJson>> {
    return answer(() => this.raw.resourceHistory({ resourceType, id }));
  }

  typeHistory(resourceType: string): Promise<FhirAnswer<BundleJson>> {
    return answer(() => this.raw.typeHistory({ resourceType }));
  }

  search(resourceType: string, searchParams: Record<string, string | number>, how: { post?: boolean } = {}): Promise<FhirAnswer<BundleJson>> {
    return answer(() => this.raw.search({ resourceType, searchParams, options: { postSearch: how.post === true } }));
  }

  /** The next page, or undefined at the end of the results. */
  async nextPage(bundle: BundleJson): Promise<FhirAnswer<BundleJson> | undefined> {
    const next = this.raw.nextPage({ bundle });
    return next === undefined ? undefined : answer(() => next);
  }

  transaction(bundle: BundleJson): Promise<FhirAnswer<BundleJson>> {
    return answer(() => this.raw.transaction({ body: bundle }));
  }

  batch(bundle: BundleJson): Promise<FhirAnswer<BundleJson>> {
    return answer(() => this.raw.batch({ body: bundle }));
  }
}

/** The FhirKitError a call rejected with; fails the test when the call succeeded. */
export async function failureOf(call: Promise<unknown>): Promise<FhirKitError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof FhirKitError) return err;
    throw err;
  }
  throw new Error('expected the FHIR request to fail, but it succeeded');
}
