// @orchester/core: what a connector author needs, and nothing else: the contract, membership
// types, errors, logger and clock, redaction and quoting, identity maps, zod issue messages.
export { type Clock, systemClock } from './clock.js';
export {
  type AnyConnector,
  type ChangeAttempt,
  type ChangeOptions,
  CONNECTOR_TAG,
  CONTRACT_VERSION,
  type Connector,
  type ConnectorCapabilities,
  type ConnectorContext,
  type ConnectorInstance,
  type ConnectorLimits,
  type ConnectorSetup,
  type ConnectorSpec,
  defaultRoleOf,
  defineConnector,
  type GroupCapability,
  isConnector,
  type ListOptions,
  type MembershipOptions,
  type Rate,
  type ServiceCall,
  type SetupContext,
} from './contract.js';
export {
  AuthenticationError,
  CancelledError,
  ConfigError,
  ConflictError,
  ConnectorNotFoundError,
  ContractMismatchError,
  categoryOfErrorCode,
  ERROR_CODES,
  type ErrorCategory,
  type ErrorCause,
  type ErrorCode,
  InternalError,
  InvalidIdentifierError,
  InvalidInputError,
  isOrchesterError,
  NotFoundError,
  OrchesterError,
  type OrchesterErrorOptions,
  PermissionError,
  RateLimitedError,
  RejectedError,
  TransientError,
  toOrchesterError,
  UnsupportedError,
} from './errors.js';
export {
  type IdentityEntry,
  type IdentityMap,
  type IdentityStore,
  sortIdentityEntries,
} from './identities/identity-map.js';
export { MemoryIdentityStore } from './identities/memory-identity-store.js';
export { type Logger, silentLogger } from './logger.js';
export {
  type ChangeResult,
  type CheckResult,
  type GroupMembership,
  MEMBERSHIP_ACTIONS,
  MEMBERSHIP_OUTCOMES,
  MEMBERSHIP_STATES,
  type MemberRecord,
  type MembershipAction,
  type MembershipOutcome,
  type MembershipState,
} from './membership.js';
export {
  clearRegisteredSecrets,
  REDACTED,
  redact,
  redactValue,
  registerSecret,
  registerSecretPattern,
  SECRET_KEY,
} from './redact.js';
export { QUOTE_LIMIT, quote } from './text.js';
export { describeIssues, formatPath } from './zod-issues.js';
