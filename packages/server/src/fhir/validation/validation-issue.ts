/** One problem found in a resource: what, in words without health data, and where, as a FHIRPath location. */
export interface ValidationIssue {
  readonly diagnostics: string;
  /** e.g. ['Observation.component[1].code']; [] when the body is not a resource at all. */
  readonly expression: string[];
}

/** Most issues reported for one resource; past this the client has enough to fix. */
export const MAX_ISSUES = 50;

export class IssueList {
  readonly issues: ValidationIssue[] = [];

  add(location: string | null, diagnostics: string): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ diagnostics, expression: location === null ? [] : [location] });
  }

  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }
}
