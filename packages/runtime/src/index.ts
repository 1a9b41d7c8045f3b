// @orchester/runtime: what hosts (the CLI, the worker, programs) run connectors with: config,
// discovery, the registry, runners and retry policy, rosters, the audit trail, identity files.
export type { JobChange } from './attempt-changes.js';
export { AuditLog } from './audit/audit-log.js';
export {
  actorOf,
  auditConfigSchema,
  auditPathOf,
  auditStreamMaxLenOf,
  DEFAULT_AUDIT_STREAM_MAX_LEN,
} from './audit/audit-path.js';
export { type AuditFilter, auditRecordMatches, readAuditRecords } from './audit/read-audit.js';
export { type AuditRecord, auditRecordOf } from './audit/record.js';
export { auditJobEnds, type JobAuditOptions } from './audit/record-jobs.js';
export { type ChangeJournal, type JournalKey, MemoryChangeJournal } from './change-journal.js';
export { CONFIG_FILE_NAMES, type ConfigLocation, findConfigFile } from './config/find.js';
export {
  CONFIG_SECTIONS,
  type InstanceConfig,
  type LoadConfigOptions,
  loadConfig,
  type OrchesterConfig,
  readConfigSection,
} from './config/load.js';
export { parseStructuredText, readStructuredFile } from './config/parse-file.js';
export { resolveSecrets } from './config/secrets.js';
export {
  type ConnectorPackage,
  type FindConnectorsOptions,
  findConnectorPackages,
  findUnscannedConnectors,
  globalNodeModules,
  isScannedName,
  nodeModulesAbove,
  SCANNED_NAMES,
  type UnscannedConnector,
} from './discovery/find-connectors.js';
export { assertContract, importConnector, loadConnector } from './discovery/load-connector.js';
export { importOptionsSchema } from './discovery/options-entry.js';
export {
  FileIdentityStore,
  type FileIdentityStoreOptions,
} from './identities/file-identity-store.js';
export { identitiesPathOf } from './identities/identity-path.js';
export { type InlineRunOptions, runJobsInline } from './inline-runner.js';
export {
  FILE_LIMITS,
  FileRefusal,
  firstProblems,
  MAX_IDENTIFIER_LENGTH,
  readBoundedText,
} from './input.js';
export {
  BATCH_ID,
  INSTANCE_NAME,
  isWriteAction,
  type MembershipJob,
  membershipJobId,
  membershipJobSchema,
  newBatchId,
} from './job.js';
export { jobReportOf } from './job-report.js';
export { type OpenOrchesterOptions, type Orchester, openOrchester } from './orchester.js';
export { assertAction, optionsSchemaOf, parseIdentifier, parseOptions } from './prepare-job.js';
export { RateWindow } from './rate-window.js';
export { ConnectorRegistry, type ConnectorRegistryOptions } from './registry.js';
export { type BatchReport, type BatchTotals, type JobReport, totalsOf } from './report.js';
export { readRetryPolicy, retrySectionSchema } from './retry-config.js';
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  MAX_ATTEMPTS,
  type RetryDecision,
  type RetryPolicy,
} from './retry-policy.js';
export {
  type AccessReview,
  ADMIN_ROLES,
  ageInDays,
  DEFAULT_STALE_DAYS,
  diffReviewSnapshots,
  type ReviewChanges,
  type ReviewPerson,
  type RoleChange,
  reviewAccess,
  type StaleInvitation,
  type StateChange,
} from './review/access-review.js';
export {
  latestReviewSnapshot,
  type ReviewFiles,
  reviewFilesIn,
  reviewStamp,
  writeReviewFiles,
} from './review/review-files.js';
export {
  REVIEW_SNAPSHOT_VERSION,
  type ReviewEntry,
  type ReviewInstance,
  type ReviewSnapshot,
  reviewSnapshotOf,
} from './review/review-snapshot.js';
export type { RosterProblem } from './roster/assignments.js';
export {
  type JobPreview,
  PREVIEW_KINDS,
  type PreviewKind,
  previewChanges,
  previewJobs,
} from './roster/batch-preview.js';
export {
  type AccessUpdate,
  accessUpdates,
  type ExportedPerson,
  type ExportedRoster,
  exportRoster,
  type RosterExport,
  type StandInEmail,
} from './roster/export.js';
export { exportedRosterYaml, mergeRosterFile, type RosterMerge } from './roster/export-file.js';
export { assertPlanSafe, checkGuards } from './roster/guard.js';
export { withoutUnrecordedEmails } from './roster/hidden-emails.js';
export { inlineSubmit } from './roster/inline-submit.js';
export {
  type ApplyOptions,
  apply,
  isBatchReport,
  type PersonLookup,
  type PersonRef,
  peopleOfPlan,
  planJobs,
  type QueuedBatch,
  type SubmitJobs,
} from './roster/jobs.js';
export {
  describeRosterProblem,
  loadRoster,
  loadRosterText,
  parseRoster,
  ROSTER_DEFAULTS,
  type RosterSource,
} from './roster/load-roster.js';
export {
  type InstanceMembers,
  type MemberEntry,
  type ReadMembersOptions,
  readMembers,
} from './roster/members.js';
export {
  type MembershipLookup,
  type MembershipNow,
  type MembershipTargets,
  readMemberships,
} from './roster/memberships-now.js';
export {
  type AccessCheck,
  type AccessLeft,
  accessChecks,
  type InstanceAccess,
  type OffboardVerification,
  verifyOffboarding,
} from './roster/offboard-verification.js';
export {
  describeProblems,
  draftPersonJobs,
  type PersonFlags,
  type PersonJobsDraft,
  type PersonTargets,
  personJobs,
} from './roster/person-flags.js';
export { findPerson, offboardJobs, onboardJobs, samePerson } from './roster/person-jobs.js';
export { plan } from './roster/plan.js';
export {
  type GuardViolation,
  type InstancePlan,
  PLAN_CHANGE_KINDS,
  PLAN_KEEP_KINDS,
  type Plan,
  type PlanChange,
  type PlanChangeKind,
  type PlanEntry,
  type PlanKeepKind,
} from './roster/plan-types.js';
export { readSnapshotDeadline, rosterSectionSchema } from './roster/roster-config.js';
export {
  looksLikeSavedPlan,
  type MembershipFingerprint,
  parseSavedPlan,
  SAVED_PLAN_FORMAT,
  SAVED_PLAN_VERSION,
  type SavedPlan,
  type StaleMembership,
  savedPlanOf,
  sha256Of,
  staleMemberships,
} from './roster/saved-plan.js';
export {
  DEFAULT_SNAPSHOT_DEADLINE_MS,
  readSnapshots,
  type Snapshot,
  type SnapshotOptions,
} from './roster/snapshot.js';
export type {
  Roster,
  RosterAssignment,
  RosterInstance,
  RosterPerson,
} from './roster/types.js';
export {
  type AttemptOptions,
  type InstanceResolver,
  type JobAttempt,
  runMembershipJob,
} from './run-membership-job.js';
