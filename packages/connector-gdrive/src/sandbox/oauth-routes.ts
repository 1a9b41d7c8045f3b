import { createHash, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import type { Handler, SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import { oauthError } from './google-errors.js';
import { type DriveState, randomToken } from './state.js';

type Route = (method: string, path: string, handler: Handler<DriveState>) => void;

/** The audience Google's token endpoint expects in service-account assertions. */
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function issue(
  state: DriveState,
  subject: string,
  scope: string,
): { access_token: string; expires_in: number } {
  const access = randomToken('ya29.sandbox-');
  state.accessTokens.set(access, {
    subject,
    scope,
    expiresAt: Date.now() + state.accessTokenTtlSeconds * 1000,
  });
  return { access_token: access, expires_in: state.accessTokenTtlSeconds };
}

function form(req: SandboxRequest): Record<string, string> {
  if (req.body && typeof req.body === 'object') return req.body as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(req.rawBody));
}

/** Client credentials from the body (client_secret_post) or HTTP Basic. */
function clientOf(req: SandboxRequest, body: Record<string, string>, state: DriveState) {
  let id = body.client_id;
  let secret = body.client_secret;
  const basic =
    typeof req.headers.authorization === 'string'
      ? /^Basic\s+(\S+)$/i.exec(req.headers.authorization)
      : null;
  if (basic?.[1]) {
    const [u, p] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    id = u;
    secret = p;
  }
  const client = state.clients.find((c) => c.clientId === id);
  if (!client || secret === undefined || !sameSecret(client.clientSecret, secret)) return undefined;
  return client;
}

function verifyAssertion(
  assertion: string,
  state: DriveState,
): { subject: string; scope: string } | SandboxResponse {
  const parts = assertion.split('.');
  if (parts.length !== 3) return oauthError(400, 'invalid_grant', 'Invalid JWT: malformed.');
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: {
    iss?: string;
    sub?: string;
    aud?: string;
    scope?: string;
    exp?: number;
    iat?: number;
  };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return oauthError(400, 'invalid_grant', 'Invalid JWT: malformed.');
  }
  if (header.alg !== 'RS256')
    return oauthError(400, 'invalid_grant', 'Invalid JWT: alg must be RS256.');
  const account = state.serviceAccounts.find((a) => a.clientEmail === claims.iss);
  if (!account) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
  const ok = verify(
    'RSA-SHA256',
    Buffer.from(`${h}.${p}`),
    createPublicKey(account.publicKeyPem),
    Buffer.from(s, 'base64url'),
  );
  if (!ok) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
  if (claims.aud !== GOOGLE_TOKEN_AUDIENCE)
    return oauthError(400, 'invalid_grant', 'Invalid JWT: audience is not the token endpoint.');
  const now = Math.floor(Date.now() / 1000);
  if (
    typeof claims.exp !== 'number' ||
    claims.exp <= now ||
    typeof claims.iat !== 'number' ||
    claims.exp - claims.iat > 3600
  ) {
    return oauthError(
      400,
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
    );
  }
  if (!claims.scope)
    return oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  if (claims.sub && claims.sub !== account.clientEmail && !account.delegation) {
    return oauthError(
      401,
      'unauthorized_client',
      'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    );
  }
  return { subject: claims.sub ?? account.clientEmail, scope: claims.scope };
}

/** Google's consent screen (auto-approving, or denying when told) and its token endpoint. */
export function oauthRoutes(route: Route): void {
  route('GET', '/o/oauth2/v2/auth', (req, state) => {
    const q = req.query;
    const client = state.clients.find((c) => c.clientId === q.get('client_id'));
    const redirect = q.get('redirect_uri');
    if (!client || !redirect)
      return {
        status: 400,
        body: 'Error 400: invalid_request (unknown client or missing redirect_uri)',
      };
    const target = new URL(redirect);
    // Installed apps may only redirect to the loopback address.
    if (
      target.protocol !== 'http:' ||
      !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)
    ) {
      return { status: 400, body: 'Error 400: redirect_uri_mismatch' };
    }
    const state_ = q.get('state');
    if (state_ !== null) target.searchParams.set('state', state_);
    if (state.consent === 'deny') {
      target.searchParams.set('error', 'access_denied');
    } else {
      const code = randomToken('4/0sandbox-');
      state.codes.set(code, {
        clientId: client.clientId,
        redirectUri: redirect,
        codeChallenge: q.get('code_challenge') ?? undefined,
        codeChallengeMethod: q.get('code_challenge_method') ?? undefined,
        scope: q.get('scope') ?? '',
        subject: state.consentUser,
      });
      target.searchParams.set('code', code);
      target.searchParams.set('scope', q.get('scope') ?? '');
    }
    return { status: 302, headers: { location: target.toString() } };
  });

  route('POST', '/token', (req, state) => {
    const body = form(req);
    const grant = body.grant_type;
    if (grant === JWT_BEARER) {
      const verified = verifyAssertion(body.assertion ?? '', state);
      if ('status' in verified) return verified;
      return {
        status: 200,
        body: { ...issue(state, verified.subject, verified.scope), token_type: 'Bearer' },
      };
    }
    const client = clientOf(req, body, state);
    if (!client) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (grant === 'authorization_code') {
      const pending = body.code ? state.codes.get(body.code) : undefined;
      if (!pending || !body.code) return oauthError(400, 'invalid_grant', 'Malformed auth code.');
      state.codes.delete(body.code); // one use only
      if (pending.clientId !== client.clientId || pending.redirectUri !== body.redirect_uri) {
        return oauthError(400, 'invalid_grant', 'Bad Request');
      }
      if (pending.codeChallenge) {
        const verifier = body.code_verifier ?? '';
        const computed =
          pending.codeChallengeMethod === 'S256'
            ? createHash('sha256').update(verifier).digest('base64url')
            : verifier;
        if (!verifier || computed !== pending.codeChallenge)
          return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
      }
      const refresh = randomToken('1//0sandbox-');
      state.refreshTokens.set(refresh, {
        clientId: client.clientId,
        subject: pending.subject,
        scope: pending.scope,
      });
      return {
        status: 200,
        body: {
          ...issue(state, pending.subject, pending.scope),
          refresh_token: refresh,
          scope: pending.scope,
          token_type: 'Bearer',
        },
      };
    }
    if (grant === 'refresh_token') {
      const known = body.refresh_token ? state.refreshTokens.get(body.refresh_token) : undefined;
      if (!known || known.clientId !== client.clientId)
        return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      return {
        status: 200,
        body: {
          ...issue(state, known.subject, known.scope),
          scope: known.scope,
          token_type: 'Bearer',
        },
      };
    }
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
  });
}
