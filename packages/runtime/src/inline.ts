// @orchester/runtime/inline: what one command run here needs (config, discovery, the registry,
// the inline runner, the audit file), without rosters and the rest of the main entry. A CLI
// command loads this before its first request, so every module it spares is start-up time.
export { AuditLog } from './audit/audit-log.js';
export { actorOf, auditPathOf } from './audit/audit-path.js';
export { auditJobEnds, type JobAuditOptions } from './audit/record-jobs.js';
export {
  type InstanceConfig,
  type LoadConfigOptions,
  loadConfig,
  type OrchesterConfig,
} from './config/load.js';
export { findConnectorPackages } from './discovery/find-connectors.js';
export { FileIdentityStore } from './identities/file-identity-store.js';
export { identitiesPathOf } from './identities/identity-path.js';
export { type InlineRunOptions, runJobsInline } from './inline-runner.js';
export { type MembershipJob, newBatchId } from './job.js';
export { parseIdentifier, parseOptions } from './prepare-job.js';
export { ConnectorRegistry, type ConnectorRegistryOptions } from './registry.js';
export type { BatchReport, JobReport } from './report.js';
export { readRetryPolicy } from './retry-config.js';
export type { RetryDecision, RetryPolicy } from './retry-policy.js';
export type { PersonLookup, SubmitJobs } from './roster/jobs.js';
