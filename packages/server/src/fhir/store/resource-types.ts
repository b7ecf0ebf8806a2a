/** A FHIR resource as JSON; the store treats it as data validated against the R4 definitions. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: FhirMeta;
  [element: string]: unknown;
}

export interface FhirMeta {
  versionId?: string;
  lastUpdated?: string;
  profile?: string[];
  tag?: unknown[];
  security?: unknown[];
  source?: string;
  [element: string]: unknown;
}

/** https://hl7.org/fhir/R4/datatypes.html#id */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** The served form of a stored version plus the facts HTTP needs (ETag, Last-Modified). */
export interface VersionedResource {
  readonly resource: FhirResource;
  readonly versionId: number;
  readonly lastUpdated: Date;
  /** The JSON text as stored, so responses need no re-serialisation. */
  readonly json: string;
  /** Patient compartments, when the write that produced this version computed them. */
  readonly compartments?: readonly string[];
}
