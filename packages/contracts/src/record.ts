import { z } from 'zod';

/** STUB: the record HTTP contract (zod), filled in by issue #6 work. */
export const ZRecordPlaceholder = z.object({});
