import { createPublicKey, verify } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import { basicError } from './shapes.js';
import type { EmulatedOrg, EmulatedToken, GitHubState } from './state.js';

/** Who sent a request, from its `authorization` header. */
export type Caller =
  | { readonly kind: 'anonymous'; readonly key: string }
  | { readonly kind: 'token'; readonly key: string; readonly token: EmulatedToken }
  | { readonly kind: 'app'; readonly key: string; readonly appId: number };

const SCHEME = /^(token|bearer)\s+(\S+)\s*$/i;

function decodeSegment(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Checks an App JWT as GitHub does: RS256 by the App's key, `iss` the App id, at most 10 min long. */
function verifyAppJwt(jwt: string, state: GitHubState): { appId: number } | SandboxResponse {
  const [head, body, signature] = jwt.split('.');
  const header = head ? decodeSegment(head) : undefined;
  const claims = body ? decodeSegment(body) : undefined;
  if (!header || !claims || !signature)
    return basicError(401, 'A JSON web token could not be decoded');
  if (header.alg !== 'RS256') return basicError(401, "'alg' must be RS256");
  const app = state.apps[String(claims.iss)];
  if (!app) return basicError(401, `Integration not found`);
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${head}.${body}`),
    createPublicKey(app.publicKey),
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) return basicError(401, 'A JSON web token could not be decoded');
  const now = Math.floor(Date.now() / 1000);
  const exp = Number(claims.exp);
  const iat = Number(claims.iat);
  if (!(exp > now))
    return basicError(
      401,
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    );
  if (exp - now > 600 || !(iat <= now + 60))
    return basicError(401, "'Expiration time' claim ('exp') is too far in the future");
  return { appId: app.id };
}

/** The caller, or GitHub's 401 for credentials it does not know. */
export function callerOf(req: SandboxRequest, state: GitHubState): Caller | SandboxResponse {
  const header = req.headers.authorization;
  if (!header) return { kind: 'anonymous', key: 'anonymous' };
  const match = SCHEME.exec(header);
  const credential = match?.[2];
  if (!credential) return basicError(401, 'Bad credentials');
  if (credential.split('.').length === 3 && match?.[1]?.toLowerCase() === 'bearer') {
    const app = verifyAppJwt(credential, state);
    return 'status' in app ? app : { kind: 'app', key: `app:${app.appId}`, appId: app.appId };
  }
  const token = state.tokens[credential];
  if (!token) return basicError(401, 'Bad credentials');
  if (token.kind === 'installation' && token.expiresAt <= Date.now())
    return basicError(401, 'Bad credentials');
  return { kind: 'token', key: credential, token };
}

/** A member of the organization (or its App installation) may read memberships. */
export function canRead(caller: Caller, org: EmulatedOrg): boolean {
  if (caller.kind !== 'token') return false;
  const t = caller.token;
  if (t.kind === 'installation') return t.org.toLowerCase() === org.login.toLowerCase();
  return t.login in org.members;
}

/** Why the caller may not manage members, or undefined when it may. */
export function cannotManage(
  caller: Caller,
  org: EmulatedOrg,
  action: string,
): SandboxResponse | undefined {
  if (caller.kind !== 'token') return basicError(401, 'Requires authentication');
  const t = caller.token;
  if (t.kind === 'installation') {
    const own = t.org.toLowerCase() === org.login.toLowerCase();
    return own && t.members === 'write'
      ? undefined
      : basicError(403, 'Resource not accessible by integration');
  }
  const scoped = t.scopes === null ? t.members === 'write' : t.scopes.includes('admin:org');
  if (!scoped) {
    const answer = basicError(403, 'Resource not accessible by personal access token');
    return { ...answer, headers: { 'x-accepted-oauth-scopes': 'admin:org' } };
  }
  if (org.members[t.login] !== 'admin')
    return basicError(403, `You must be an admin to ${action}.`);
  return undefined;
}
