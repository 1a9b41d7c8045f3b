import { z } from 'zod';
import { type OrchesterConfig, readConfigSection } from './config/load.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

/** The `retry` config section, shared by the inline runner and the worker. */
export const retrySectionSchema = z
  .object({
    attempts: z.number().int().min(1).max(100).optional(),
    base_delay_ms: z.number().int().min(1).optional(),
    max_delay_ms: z.number().int().min(1).optional(),
    jitter: z.number().min(0).max(1).optional(),
    max_rate_limit_waits: z.number().int().min(0).optional(),
  })
  .strict();

/** The retry policy from config `retry`, each key defaulting to `DEFAULT_RETRY_POLICY`'s. */
export function readRetryPolicy(config: OrchesterConfig): RetryPolicy {
  const retry = readConfigSection(config, 'retry', retrySectionSchema);
  return {
    attempts: retry.attempts ?? DEFAULT_RETRY_POLICY.attempts,
    baseDelayMs: retry.base_delay_ms ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: retry.max_delay_ms ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    jitter: retry.jitter ?? DEFAULT_RETRY_POLICY.jitter,
    maxRateLimitWaits: retry.max_rate_limit_waits ?? DEFAULT_RETRY_POLICY.maxRateLimitWaits,
  };
}
