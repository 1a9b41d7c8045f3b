import { randomBytes } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '@orchester/sandbox';
import type { SlackSandboxState } from './state.js';

const page = (status: number, text: string): SandboxResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!doctype html><title>Slack</title><p>${text}</p>`,
});

function loopback(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (
      url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')
    );
  } catch {
    return false;
  }
}

/**
 * `GET /oauth/v2/authorize`: the consent screen, approved at once, or refused with
 * `access_denied` when `state.oauth.deny` is set.
 */
export function authorize(req: SandboxRequest, state: SlackSandboxState): SandboxResponse {
  const q = req.query;
  if (q.get('client_id') !== state.app.clientId) return page(400, 'invalid_client_id');
  const redirectUri = q.get('redirect_uri') ?? '';
  // The sandbox app accepts loopback redirect URLs, as a developer would register them.
  if (!loopback(redirectUri)) return page(400, 'bad_redirect_uri');
  const target = new URL(redirectUri);
  const appState = q.get('state');
  if (appState !== null) target.searchParams.set('state', appState);
  if (state.oauth.deny) {
    target.searchParams.set('error', 'access_denied');
  } else {
    const code = `${Date.now()}.${randomBytes(12).toString('hex')}`;
    state.oauth.grants[code] = {
      clientId: state.app.clientId,
      redirectUri,
      scopes: (q.get('scope') ?? '').split(',').filter(Boolean),
      userScopes: (q.get('user_scope') ?? '').split(',').filter(Boolean),
      used: false,
    };
    target.searchParams.set('code', code);
  }
  return { status: 302, headers: { location: target.toString() } };
}

/** `oauth.v2.access`: client credentials in the body or HTTP Basic, one use per code. */
export function exchangeCode(
  state: SlackSandboxState,
  req: SandboxRequest,
  args: Record<string, string>,
): SandboxResponse {
  const fail = (error: string): SandboxResponse => ({ status: 200, body: { ok: false, error } });
  let clientId = args.client_id;
  let clientSecret = args.client_secret;
  const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':', 2);
    clientId = id;
    clientSecret = secret;
  }
  if (clientId !== state.app.clientId) return fail('invalid_client_id');
  if (clientSecret !== state.app.clientSecret) return fail('bad_client_secret');
  const grant = args.code ? state.oauth.grants[args.code] : undefined;
  if (!grant || grant.used) return fail('invalid_code');
  if (args.redirect_uri !== grant.redirectUri) return fail('bad_redirect_uri');
  grant.used = true;
  const installer = state.users.find((u) => u.isPrimaryOwner) ?? state.users[0];
  const bot = state.users.find((u) => u.isBot);
  const botToken = `xoxb-${state.team.id}-${randomBytes(10).toString('hex')}`;
  state.tokens[botToken] = { type: 'bot', scopes: grant.scopes, userId: bot?.id ?? 'U0BOT00001' };
  let authedUser: Record<string, unknown> = { id: installer?.id ?? 'U0OWNER001' };
  if (grant.userScopes.length > 0) {
    const userToken = `xoxp-${state.team.id}-${randomBytes(10).toString('hex')}`;
    const orgLevel =
      state.plan === 'enterprise' && grant.userScopes.some((s) => s.startsWith('admin.'));
    state.tokens[userToken] = {
      type: orgLevel ? 'org' : 'user',
      scopes: grant.userScopes,
      userId: installer?.id ?? 'U0OWNER001',
    };
    authedUser = {
      ...authedUser,
      scope: grant.userScopes.join(','),
      access_token: userToken,
      token_type: 'user',
    };
  }
  return {
    status: 200,
    body: {
      ok: true,
      app_id: state.app.appId,
      authed_user: authedUser,
      scope: grant.scopes.join(','),
      token_type: 'bot',
      access_token: botToken,
      bot_user_id: bot?.id ?? 'U0BOT00001',
      team: { id: state.team.id, name: state.team.name },
      enterprise: state.plan === 'enterprise' ? { ...state.enterprise } : null,
      is_enterprise_install: false,
    },
  };
}
