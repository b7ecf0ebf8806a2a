import { z } from 'zod';

/** STUB: the scheduling HTTP contract (zod), filled in by issue #6 work. */
export const ZSchedulingPlaceholder = z.object({});
