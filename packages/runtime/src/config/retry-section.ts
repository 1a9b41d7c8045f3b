import { z } from 'zod';
import { MAX_ATTEMPTS } from '../retry-policy.js';

/** The `retry` config section, shared by the inline runner and the worker. */
export const retrySectionSchema = z
  .object({
    attempts: z.number().int().min(1).max(MAX_ATTEMPTS).optional(),
    base_delay_ms: z.number().int().min(1).optional(),
    max_delay_ms: z.number().int().min(1).optional(),
    jitter: z.number().min(0).max(1).optional(),
    max_rate_limit_waits: z.number().int().min(0).optional(),
  })
  .strict();
