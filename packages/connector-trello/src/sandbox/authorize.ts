import { randomBytes } from 'node:crypto';
import { escapeHtml } from '@orchester/core';
import type { Handler } from '@orchester/sandbox';
import type { TrelloSandboxState } from './state.js';

const EXPIRATION_MS: Record<string, number | null> = {
  '1hour': 3_600_000,
  '1day': 86_400_000,
  '30days': 30 * 86_400_000,
  never: null,
};
const SCOPES = new Set(['read', 'write', 'account']);

/**
 * Trello's authorize page (trello.com/1/authorize), approved at once as the sandbox's admin: with
 * `return_url` it sends the browser there with `#token=...`, without it shows the token.
 */
export const authorizePage: Handler<TrelloSandboxState> = (req, state) => {
  const q = req.query;
  const key = q.get('key') ?? '';
  if (!state.keys.includes(key)) return { status: 401, body: 'invalid key' };
  if ((q.get('response_type') ?? 'token') !== 'token')
    return { status: 400, body: 'invalid response_type' };
  const expiration = q.get('expiration') ?? '30days';
  if (!(expiration in EXPIRATION_MS)) return { status: 400, body: 'invalid expiration' };
  const scope = (q.get('scope') ?? 'read').split(',').map((s) => s.trim());
  if (scope.some((s) => !SCOPES.has(s))) return { status: 400, body: 'invalid scope' };
  const returnUrl = q.get('return_url');
  if (returnUrl !== null && !/^https?:\/\//.test(returnUrl))
    return { status: 400, body: 'invalid return_url' };

  const token = randomBytes(32).toString('hex');
  const ttl = EXPIRATION_MS[expiration] ?? null;
  state.tokens.push({
    token,
    key,
    idMember: state.authorizeAs,
    scope,
    expiresAt: ttl === null ? null : Date.now() + ttl,
  });
  if (returnUrl)
    return {
      status: 302,
      headers: { location: `${returnUrl}#token=${token}`, 'cache-control': 'no-store' },
    };
  const name = escapeHtml(q.get('name') ?? 'An application');
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: `<!doctype html><title>Trello sandbox</title><p>${name} can now use your account. Your token:</p><pre id="token">${token}</pre>`,
  };
};
