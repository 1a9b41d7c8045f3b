import { defineEmulator } from '@orchester/sandbox';
import { authorize } from './oauth.js';
import { serveScim } from './scim.js';
import { SANDBOX_CHANNELS, SANDBOX_TOKENS, type SlackSandboxState, workspace } from './state.js';
import { serveWebApi } from './web-api.js';

/**
 * The Slack emulator: Web API methods under `/api/`, SCIM v2 Users under `/scim/v2/`, and the
 * OAuth v2 consent screen. `state.plan` decides which of them answer.
 */
const slackEmulator = defineEmulator<SlackSandboxState>({
  name: 'slack',
  seeds: {
    demo: () => workspace('enterprise'),
    empty: () => ({
      ...workspace('enterprise'),
      users: workspace('enterprise').users.filter(
        (u) => u.isBot || u.isPrimaryOwner || u.id === 'USLACKBOT',
      ),
    }),
    free: () => workspace('free'),
    pro: () => workspace('pro'),
    'business+': () => workspace('business+'),
    enterprise: () => workspace('enterprise'),
    large: () => workspace('enterprise', 450),
  },
  routes(route) {
    route('POST', '/api/:method', serveWebApi);
    route('GET', '/api/:method', serveWebApi);
    route('GET', '/scim/v2/Users', serveScim);
    route('POST', '/scim/v2/Users', serveScim);
    for (const method of ['GET', 'PATCH', 'PUT', 'DELETE'])
      route(method, '/scim/v2/Users/:id', serveScim);
    route('GET', '/oauth/v2/authorize', authorize);
  },
  faultResponse: (kind, req, spec) => {
    if (kind === '429') {
      const retryAfter = spec.retryAfterSeconds ?? 1;
      return req.path.startsWith('/scim/')
        ? {
            status: 429,
            headers: { 'retry-after': retryAfter },
            body: {
              schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
              detail: 'rate_limited',
              status: '429',
            },
          }
        : {
            status: 429,
            headers: { 'retry-after': retryAfter },
            body: { ok: false, error: 'ratelimited' },
          };
    }
    return {
      status: spec.errorStatus ?? 503,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Slack is having trouble</body></html>',
    };
  },
  configFor: ({ url, state }) => {
    const common = {
      base_url: url,
      token: SANDBOX_TOKENS.bot,
      client_id: state.app.clientId,
      client_secret: state.app.clientSecret,
    };
    if (state.plan === 'enterprise') {
      return {
        ...common,
        mode: 'admin',
        admin_token: SANDBOX_TOKENS.orgAdmin,
        team_id: state.team.id,
        channel_ids: [SANDBOX_CHANNELS.general],
      };
    }
    if (state.plan === 'business+')
      return { ...common, mode: 'scim', admin_token: SANDBOX_TOKENS.scim };
    return { ...common, mode: 'legacy', legacy_token: SANDBOX_TOKENS.legacy };
  },
  // No tokens, secrets or codes in `/_sandbox/state`.
  snapshot: (state) => ({
    plan: state.plan,
    team: state.team,
    users: state.users.map((u) => ({
      id: u.id,
      email: u.email,
      deleted: u.deleted,
      invited: u.invited,
      bot: u.isBot,
    })),
    channels: state.channels.map((c) => ({ id: c.id, name: c.name, members: c.members })),
    oauthDeny: state.oauth.deny,
  }),
});

export default slackEmulator;
export {
  SANDBOX_APP,
  SANDBOX_CHANNELS,
  SANDBOX_TEAM,
  SANDBOX_TOKENS,
  SLACK_PLANS,
  type SlackPlan,
  type SlackSandboxState,
  sandboxUser,
} from './state.js';
