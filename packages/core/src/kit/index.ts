// The kit: the plumbing every connector needs, written once.
export { orchesterErrorIn } from './found-error.js';
export { type HeaderSource, headerOf } from './headers.js';
export { escapeHtml } from './html.js';
export {
  type AuthorizationAnswer,
  type AuthorizationRequest,
  createPkce,
  createState,
  type LoopbackAuthorizationOptions,
  type Pkce,
  runLoopbackAuthorization,
  sameState,
} from './loopback/index.js';
export {
  linkOf,
  type Page,
  paginate,
  paginateByCursor,
  paginateByLink,
  paginateByNumber,
} from './pagination.js';
export { retryAfterMs } from './retry-after.js';
export { fillRoute, routeMatcher, UNKNOWN_ROUTE } from './route-template.js';
export {
  createServiceHttp,
  DEFAULT_TIMEOUT_MS,
  type FailedHttpAnswer,
  type HttpAnswer,
  type HttpRequest,
  type ServiceHttp,
  type ServiceHttpBase,
  type ServiceHttpOptions,
} from './service-http.js';
export { type AnswerSite, errorForStatus, type FailedAnswer } from './status-error.js';
