import { defineEmulator } from '@orchester/sandbox';
import { driveRoutes } from './drive-routes.js';
import { backendError, driveError } from './google-errors.js';
import { oauthRoutes } from './oauth-routes.js';
import {
  type DriveState,
  demoState,
  emptyState,
  SANDBOX_CLIENT,
  SANDBOX_REFRESH_TOKEN,
} from './state.js';

export { holdAclWrites, landHeldAclWrite, releaseAclWrites } from './acl-writes.js';
export { GOOGLE_TOKEN_AUDIENCE } from './oauth-routes.js';
export {
  addManyReaders,
  DRIVE_SCOPE,
  type DriveItem,
  type DrivePermission,
  type DriveQuotas,
  type DriveState,
  demoState,
  emptyState,
  expireAccessTokens,
  permissionIdFor,
  SANDBOX_CLIENT,
  SANDBOX_OWNER,
  SANDBOX_REFRESH_TOKEN,
  SANDBOX_SERVICE_ACCOUNT,
  setQuotas,
} from './state.js';

/**
 * The Google Drive emulator: permissions, files and shared drives under `/drive/v3`, the OAuth
 * consent screen (`/o/oauth2/v2/auth`) and token endpoint (`/token`), quotas and Drive's
 * last-write-wins on concurrent permission changes.
 */
const gdriveEmulator = defineEmulator<DriveState>({
  name: 'gdrive',
  seeds: { demo: demoState, empty: emptyState },
  routes(route) {
    driveRoutes(route);
    oauthRoutes(route);
  },
  faultResponse(kind, _req, spec) {
    if (kind === '429') {
      return driveError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', {
        domain: 'usageLimits',
        status: 'RESOURCE_EXHAUSTED',
        ...(spec.retryAfterSeconds !== undefined
          ? { headers: { 'retry-after': spec.retryAfterSeconds } }
          : {}),
      });
    }
    return backendError(spec.errorStatus ?? 500);
  },
  // Issued tokens stay out of the request log (and /_sandbox/requests).
  secretResponseFields: ['access_token', 'refresh_token', 'id_token'],
  configFor: ({ state }) => ({
    file_id: state.items.has('folder-team')
      ? 'folder-team'
      : ([...state.items.keys()][0] ?? 'folder-team'),
    client_id: SANDBOX_CLIENT.clientId,
    client_secret: SANDBOX_CLIENT.clientSecret,
    refresh_token: SANDBOX_REFRESH_TOKEN,
  }),
  snapshot: (state) => ({
    items: [...state.items.values()].map((i) => ({
      id: i.id,
      name: i.name,
      kind: i.kind,
      ...(i.driveId ? { driveId: i.driveId } : {}),
      permissions: i.permissions.map((p) => ({
        id: p.id,
        type: p.type,
        role: p.role,
        ...(p.emailAddress ? { emailAddress: p.emailAddress } : {}),
        ...(p.domain ? { domain: p.domain } : {}),
      })),
    })),
    consent: state.consent,
    quotas: state.quotas,
    aclWriteDelayMs: state.aclWriteDelayMs,
  }),
});

export default gdriveEmulator;
