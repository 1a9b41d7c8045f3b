import type { RequestLogEntry } from '@orchester/sandbox';
import {
  createSpecValidator,
  loadSpec,
  type SpecViolation,
  specRequestOf,
} from '@orchester/sandbox/spec-validator';

// Trello's published description with the corrections in trello.overlay.json (each with evidence).
const validator = createSpecValidator(
  loadSpec(new URL('../../test/fixtures/trello.openapi.json', import.meta.url)),
);

const RATE_LIMIT_ERRORS = new Set([
  'API_TOKEN_LIMIT_EXCEEDED',
  'API_KEY_LIMIT_EXCEEDED',
  'MEMBER_LIMIT_EXCEEDED',
]);
const ALL_BOARDS = '/1/organizations/:id/members/:idMember/all';

/**
 * Every logged request and answer checked against Trello's published description (corrected by
 * the overlay). The description declares only 200s and has no `/all` removal (see
 * test/fixtures/README.md), so exactly these gaps pass: an error status "not declared" whose body
 * is Trello's plain text or its 429 JSON, and the `/all` route being absent. Anything else,
 * including a wrong 200 body or a request the description refuses, is returned.
 */
export function specViolations(requests: readonly RequestLogEntry[]): SpecViolation[] {
  const out: SpecViolation[] = [];
  for (const entry of requests) {
    // trello.com's authorize page is not the REST API.
    if (entry.path === '/1/authorize') continue;
    if (entry.method === 'DELETE' && entry.route === ALL_BOARDS) continue;
    // A request Trello refused as malformed may break the description; any other must not.
    // (Credentials travel in the OAuth header, which the description does not know.)
    const refused = entry.status >= 400 && entry.status < 500 && entry.status !== 429;
    if (!refused) out.push(...validator.validateRequest(specRequestOf(entry, '/1')));
    // No answer (dropped or timed-out by fault injection).
    if (entry.status === 0) continue;
    for (const v of validator.validate({
      method: entry.method,
      path: entry.path.replace(/^\/1(?=\/)/, ''),
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
      out.push(v);
    }
  }
  return out;
}
