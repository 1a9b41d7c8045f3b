import { describe, expect, it } from 'vitest';
import { INTERACTIVE_RETRY_POLICY } from './dispatch.js';
import { RETRIES_NOTE } from './specs/shared-flags.js';

describe('the retry policy the help states', () => {
  it('names the defaults jobs run here actually use', () => {
    const p = INTERACTIVE_RETRY_POLICY;
    expect(RETRIES_NOTE).toContain(`${p.attempts} attempts`);
    expect(RETRIES_NOTE).toContain(
      `${p.baseDelayMs / 1000} s doubling to ${p.maxDelayMs / 1000} s`,
    );
    expect(RETRIES_NOTE).toContain(`${p.jitter * 100}% jitter`);
    expect(RETRIES_NOTE).toContain(`${p.maxRateLimitWaits} waits`);
  });
});
