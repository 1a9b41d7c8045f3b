import { defineEmulator } from '@orchester/sandbox';
import { authorizePage } from './authorize.js';
import { registerRoutes } from './routes.js';
import {
  demoState,
  emptyState,
  SANDBOX_KEY,
  SANDBOX_TOKEN,
  type TrelloSandboxState,
} from './state.js';

/**
 * The Trello emulator: workspace `acme` with admins, normal, deactivated and invited members,
 * boards, Trello's plain-text errors and its per-key and per-token limits. Serves `/1/...`.
 */
export const trelloEmulator = defineEmulator<TrelloSandboxState>({
  name: 'trello',
  seeds: { demo: () => demoState(), empty: () => emptyState() },
  routes(route) {
    route('GET', '/1/authorize', authorizePage);
    registerRoutes(route);
  },
  faultResponse(kind, _req, spec) {
    if (kind === '429') {
      return {
        status: 429,
        headers: spec.retryAfterSeconds ? { 'retry-after': spec.retryAfterSeconds } : {},
        body: { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' },
      };
    }
    return { status: spec.errorStatus ?? 500, body: 'Internal Server Error' };
  },
  configFor: ({ url }) => ({
    organization: 'acme',
    api_key: SANDBOX_KEY,
    token: SANDBOX_TOKEN,
    base_url: url,
  }),
  snapshot(state) {
    const name = (id: string) => state.accounts.find((a) => a.id === id)?.username ?? id;
    return {
      organizations: state.organizations.map((o) => ({
        name: o.name,
        memberships: o.memberships.map((m) => ({
          username: name(m.idMember),
          memberType: m.memberType,
          ...(m.unconfirmed ? { unconfirmed: true } : {}),
          ...(m.deactivated ? { deactivated: true } : {}),
        })),
      })),
      boards: state.boards.map((b) => ({ name: b.name, members: b.idMembers.map(name) })),
      limits: state.limits,
    };
  },
});

export {
  demoState,
  emptyState,
  nextId,
  SANDBOX_KEY,
  SANDBOX_NORMAL_TOKEN,
  SANDBOX_READ_ONLY_TOKEN,
  SANDBOX_TOKEN,
  type SandboxAccount,
  type SandboxBoard,
  type SandboxLimits,
  type SandboxMembership,
  type SandboxOrganization,
  type SandboxToken,
  sandboxId,
  type TrelloSandboxState,
} from './state.js';

export default trelloEmulator;
