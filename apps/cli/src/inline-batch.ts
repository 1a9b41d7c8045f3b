import {
  AuditLog,
  actorOf,
  auditPathOf,
  type BatchReport,
  inlineSubmit,
  type MembershipJob,
  type PersonLookup,
  type RetryPolicy,
} from '@orchester/core';
import type { CommandContext } from './command-context.js';
import { warn } from './io.js';

// A person waits at the terminal: fewer, shorter retries than the worker's.
export const INTERACTIVE_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  jitter: 0.5,
  maxRateLimitWaits: 20,
};

/** The audit file, created owner-only before anything changes, and who the records name. */
export function openAudit(context: CommandContext): { log: AuditLog; actor: string } {
  const config = context.config();
  const log = new AuditLog(auditPathOf(config, context.env.HOME || undefined));
  log.open();
  return { log, actor: actorOf(config) };
}

/**
 * Runs a batch in this process with the interactive retry policy, appending every add/remove
 * job's end to the audit file. Call `openAudit` first so an unwritable file stops the run
 * before any change.
 */
export async function runInlineBatch(
  context: CommandContext,
  audit: { log: AuditLog; actor: string },
  batchId: string,
  jobs: readonly MembershipJob[],
  personOf?: PersonLookup,
): Promise<BatchReport> {
  const registry = context.registry();
  let auditFailed = false;
  const submit = inlineSubmit({
    resolver: registry,
    limitsFor: (name) => registry.limitsFor(name),
    policy: INTERACTIVE_RETRY_POLICY,
    clock: context.clock,
    signal: context.signal,
    audit: {
      ...audit,
      ...(personOf ? { personOf } : {}),
      onWriteError: (error) => {
        if (!auditFailed) warn(context.io, `orchest: warning: ${(error as Error).message}`);
        auditFailed = true;
      },
    },
    onAttemptFailed: (job, error, decision) => {
      if (decision.action === 'retry') {
        const seconds = Math.ceil(decision.delayMs / 1000);
        warn(
          context.io,
          `orchest: ${job.instance}: ${error.message}; ${decision.spendsAttempt ? 'retrying' : 'waiting as the service asked'} in ${seconds} s`,
        );
      }
    },
  });
  return (await submit(batchId, jobs)) as BatchReport;
}
