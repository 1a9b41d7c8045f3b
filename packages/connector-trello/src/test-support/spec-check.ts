import { readFileSync } from 'node:fs';
import type { RequestLogEntry } from '@orchester/sandbox';
import { createSpecValidator, type SpecViolation } from '@orchester/sandbox/spec-validator';

const spec = JSON.parse(
  readFileSync(new URL('../../test/fixtures/trello.openapi.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const validator = createSpecValidator(spec);

const RATE_LIMIT_ERRORS = new Set(['API_TOKEN_LIMIT_EXCEEDED', 'API_KEY_LIMIT_EXCEEDED']);

/**
 * Every logged emulator answer checked against Trello's published description. The spec declares
 * only 200s and has no `/all` removal (see test/fixtures/README.md), so exactly these gaps pass:
 * an error status "not declared" whose body is Trello's plain text or its 429 JSON, and the
 * `/all` route being absent. Anything else, including a wrong 200 body, is returned.
 */
export function specViolations(requests: readonly RequestLogEntry[]): SpecViolation[] {
  const out: SpecViolation[] = [];
  for (const entry of requests) {
    // No answer (dropped or timed-out by fault injection), or trello.com's authorize page.
    if (entry.status === 0 || entry.path === '/1/authorize') continue;
    const path = entry.path.replace(/^\/1(?=\/)/, '');
    for (const v of validator.validate({
      method: entry.method,
      path,
      status: entry.status,
      body: entry.responseBody,
    })) {
      const body = entry.responseBody;
      const plainError = entry.status >= 400 && typeof body === 'string' && body.length > 0;
      const rateLimit =
        entry.status === 429 &&
        typeof body === 'object' &&
        body !== null &&
        RATE_LIMIT_ERRORS.has((body as { error?: string }).error ?? '') &&
        (body as { message?: string }).message === 'Rate limit exceeded';
      if (/is not declared/.test(v.message) && (plainError || rateLimit)) continue;
      if (
        entry.method === 'DELETE' &&
        entry.route === '/1/organizations/:id/members/:idMember/all' &&
        /not in the spec/.test(v.message)
      ) {
        continue;
      }
      out.push(v);
    }
  }
  return out;
}
