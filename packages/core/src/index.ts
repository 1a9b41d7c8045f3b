export { type Clock, systemClock } from './clock.js';
export {
  CONFIG_SECTIONS,
  type InstanceConfig,
  type LoadConfigOptions,
  loadConfig,
  type OrchesterConfig,
  readConfigSection,
} from './config/load.js';
export { CONFIG_FILE_NAMES, type ConfigLocation, findConfigFile } from './config/find.js';
export { parseStructuredText, readStructuredFile } from './config/parse-file.js';
export { resolveSecrets } from './config/secrets.js';
export { describeIssues, formatPath } from './config/zod-issues.js';
export {
  type AnyConnector,
  type Connector,
  type ConnectorCapabilities,
  type ConnectorContext,
  type ConnectorInstance,
  type ConnectorLimits,
  type ConnectorSetup,
  type ConnectorSpec,
  CONNECTOR_TAG,
  CONTRACT_VERSION,
  defaultRoleOf,
  defineConnector,
  isConnector,
  type MembershipOptions,
  type Rate,
  type ServiceCall,
  type SetupContext,
} from './contract.js';
export {
  type ConnectorPackage,
  type FindConnectorsOptions,
  findConnectorPackages,
  globalNodeModules,
  nodeModulesAbove,
} from './discovery/find-connectors.js';
export { assertContract, importConnector, loadConnector } from './discovery/load-connector.js';
export {
  AuthenticationError,
  CancelledError,
  ConfigError,
  ConflictError,
  ConnectorNotFoundError,
  ContractMismatchError,
  ERROR_CODES,
  type ErrorCause,
  type ErrorCode,
  exitCodeForErrorCode,
  InternalError,
  InvalidIdentifierError,
  InvalidInputError,
  isOrchesterError,
  NotFoundError,
  OrchesterError,
  type OrchesterErrorOptions,
  PermissionError,
  RateLimitedError,
  toOrchesterError,
  TransientError,
  UnsupportedError,
} from './errors.js';
export { type InlineRunOptions, runJobsInline } from './inline-runner.js';
export {
  BATCH_ID,
  INSTANCE_NAME,
  isWriteAction,
  type MembershipJob,
  membershipJobId,
  membershipJobSchema,
  newBatchId,
} from './job.js';
export { type Logger, silentLogger } from './logger.js';
export {
  type ChangeResult,
  type CheckResult,
  isMember,
  MEMBERSHIP_ACTIONS,
  MEMBERSHIP_OUTCOMES,
  MEMBERSHIP_STATES,
  type MemberRecord,
  type MembershipAction,
  type MembershipOutcome,
  type MembershipState,
} from './membership.js';
export { assertAction, parseIdentifier, parseOptions } from './prepare-job.js';
export { RateWindow } from './rate-window.js';
export { clearRegisteredSecrets, REDACTED, redact, redactValue, registerSecret, SECRET_KEY } from './redact.js';
export { ConnectorRegistry, type ConnectorRegistryOptions } from './registry.js';
export { type BatchReport, type BatchTotals, type JobReport, totalsOf } from './report.js';
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.js';
export { readRetryPolicy, retrySectionSchema } from './retry-config.js';
export { type InstanceResolver, type JobAttempt, runMembershipJob } from './run-membership-job.js';
export { TOKENS } from './tokens.js';
