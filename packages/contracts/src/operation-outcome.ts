import { z } from 'zod';

/** FHIR R4 OperationOutcome (https://hl7.org/fhir/R4/operationoutcome.html), the shape of every error. */
export const ZIssueSeverity = z.enum(['fatal', 'error', 'warning', 'information']);

export const ZOperationOutcomeIssue = z.object({
  severity: ZIssueSeverity,
  code: z.string(),
  details: z
    .object({
      coding: z.array(z.object({ system: z.string(), code: z.string(), display: z.string().optional() })).optional(),
      text: z.string().optional(),
    })
    .optional(),
  diagnostics: z.string().optional(),
  expression: z.array(z.string()).optional(),
});

export const ZOperationOutcome = z.object({
  resourceType: z.literal('OperationOutcome'),
  id: z.string().optional(),
  issue: z.array(ZOperationOutcomeIssue).min(1),
});

export type TOperationOutcome = z.infer<typeof ZOperationOutcome>;
export type TOperationOutcomeIssue = z.infer<typeof ZOperationOutcomeIssue>;
