import { defineEmulator } from '@orchester/sandbox';
import { callerOf } from './auth.js';
import { rateLimitHeaders } from './limits.js';
import { githubRoutes } from './routes.js';
import { basicError } from './shapes.js';
import { demoState, emptyOrgState, type GitHubState, SANDBOX_TOKEN } from './state.js';

export { addApp } from './app.js';
export {
  addOrg,
  addUser,
  DEFAULT_LIMITS,
  demoState,
  type EmulatedApp,
  type EmulatedInvitation,
  type EmulatedLimits,
  type EmulatedOrg,
  type EmulatedTeam,
  type EmulatedToken,
  type EmulatedUser,
  emptyOrgState,
  type GitHubState,
  githubTime,
  SANDBOX_TOKEN,
} from './state.js';

/**
 * The GitHub REST emulator: organization members, invitations and teams, real status codes and
 * bodies, `Link` pagination, primary and secondary rate limits and the invitation cap.
 */
export const githubEmulator = defineEmulator<GitHubState>({
  name: 'github',
  seeds: { demo: demoState, empty: emptyOrgState },
  routes: githubRoutes,
  faultResponse(kind, _req, spec) {
    if (kind === '429') {
      const answer = basicError(
        429,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      );
      return { ...answer, headers: { 'retry-after': String(spec.retryAfterSeconds ?? 60) } };
    }
    const status = spec.errorStatus ?? 502;
    return basicError(status, status === 503 ? 'Service Unavailable' : 'Server Error');
  },
  decorate(req, res, state) {
    const caller = callerOf(req, state);
    const key = 'status' in caller ? 'anonymous' : caller.key;
    const scopes =
      !('status' in caller) &&
      caller.kind === 'token' &&
      caller.token.kind === 'pat' &&
      caller.token.scopes
        ? { 'x-oauth-scopes': caller.token.scopes.join(', ') }
        : {};
    return {
      ...res,
      headers: {
        ...rateLimitHeaders(state, key),
        ...scopes,
        'x-github-api-version-selected': '2022-11-28',
        'x-github-media-type': 'github.v3; format=json',
        ...res.headers,
      },
    };
  },
  configFor: () => ({ org: 'acme', token: SANDBOX_TOKEN }),
  snapshot: (state) => ({
    orgs: Object.fromEntries(
      Object.values(state.orgs).map((org) => [
        org.login,
        {
          members: org.members,
          invitations: org.invitations.map((i) => ({
            id: i.id,
            login: i.login,
            email: i.email,
            role: i.role,
          })),
          teams: Object.fromEntries(org.teams.map((t) => [t.slug, t.members])),
          invitationsSentInWindow: org.invitationsSent.length,
        },
      ]),
    ),
    users: Object.values(state.users).map((u) => u.login),
    limits: state.limits,
  }),
});

export default githubEmulator;
