import { type OrchesterConfig, readConfigSection } from './config/load.js';
import { retrySectionSchema } from './config/retry-section.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

/**
 * The retry policy from config `retry`, each key it leaves out taken from `defaults` (the
 * worker's `DEFAULT_RETRY_POLICY` unless the caller runs for a person waiting at a terminal).
 */
export function readRetryPolicy(
  config: OrchesterConfig,
  defaults: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryPolicy {
  const retry = readConfigSection(config, 'retry', retrySectionSchema);
  return {
    attempts: retry.attempts ?? defaults.attempts,
    baseDelayMs: retry.base_delay_ms ?? defaults.baseDelayMs,
    maxDelayMs: retry.max_delay_ms ?? defaults.maxDelayMs,
    jitter: retry.jitter ?? defaults.jitter,
    maxRateLimitWaits: retry.max_rate_limit_waits ?? defaults.maxRateLimitWaits,
  };
}

export { retrySectionSchema };
