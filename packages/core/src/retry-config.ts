import { type OrchesterConfig, readConfigSection } from './config/load.js';
import { retrySectionSchema } from './config/retry-section.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

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

export { retrySectionSchema };
