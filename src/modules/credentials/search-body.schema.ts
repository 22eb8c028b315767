// The envelope of a search request: `{ filter, limit, cursor }`. The filter's own rules live
// in credential.rules.ts; limit and cursor are checked by the shared pagination helper.
import { z } from 'zod';

export const searchBodySchema = z.strictObject({
  filter: z.unknown().optional(),
  limit: z.unknown().optional(),
  cursor: z.unknown().optional(),
});
