export {
  type AuthorizationAnswer,
  type AuthorizationRequest,
  type LoopbackAuthorizationOptions,
  runLoopbackAuthorization,
} from './loopback-authorization.js';
export { createPkce, createState, type Pkce, sameState } from './pkce.js';
