import { z } from 'zod';

/** A MongoDB id as it arrives in a URL or form: checked before any query is built from it. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/i);
