import type { runLoopbackAuthorization as RunLoopbackAuthorization } from './loopback-authorization.js';

export type {
  AuthorizationAnswer,
  AuthorizationRequest,
  LoopbackAuthorizationOptions,
} from './loopback-authorization.js';
export { createPkce, createState, type Pkce, sameState } from './pkce.js';

/**
 * The callback server of `generate`, loaded on first use: it brings node:http and its pages,
 * which every other command would otherwise load before its first request.
 */
export const runLoopbackAuthorization: typeof RunLoopbackAuthorization = async (options) =>
  (await import('./loopback-authorization.js')).runLoopbackAuthorization(options);
