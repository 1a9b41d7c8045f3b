import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A PKCE pair (RFC 7636): the verifier stays here, the S256 challenge goes to the browser. */
export interface Pkce {
  readonly codeVerifier: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

/** A fresh PKCE pair: 32 random bytes as the verifier (43 characters), its SHA-256 as the challenge. */
export function createPkce(): Pkce {
  const codeVerifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
  return { codeVerifier, codeChallenge, codeChallengeMethod: 'S256' };
}

/** A random `state` for one authorization (32 bytes, base64url). */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares a state in constant time; false for a missing one. */
export function sameState(expected: string, got: string | null | undefined): boolean {
  if (typeof got !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b);
}
