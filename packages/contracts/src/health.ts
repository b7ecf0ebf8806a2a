import { z } from 'zod';

export const ZHealthResponse = z.object({ status: z.literal('ok'), version: z.string() });
export type THealthResponse = z.infer<typeof ZHealthResponse>;

export const ZReadyResponse = z.object({
  status: z.enum(['ready', 'unavailable']),
  database: z.object({ kind: z.enum(['pglite', 'postgres']), ok: z.boolean(), latencyMs: z.number().optional() }),
});
export type TReadyResponse = z.infer<typeof ZReadyResponse>;
