import type { OrchesterError } from '@orchester/core';
import {
  AuditLog,
  actorOf,
  auditPathOf,
  type InlineRunOptions,
  type RetryDecision,
} from '@orchester/runtime/inline';
import type { CommandContext } from './command-context.js';
import { warn } from './io.js';

/** An open audit file, who its records name, and a warning (once) if a later write fails. */
export interface OpenAudit {
  readonly log: AuditLog;
  readonly actor: string;
  onWriteError(error: unknown): void;
}

/** The audit file, created owner-only before anything changes, and who the records name. */
export function openAudit(context: CommandContext): OpenAudit {
  const config = context.config();
  const log = new AuditLog(auditPathOf(config, context.env.HOME || undefined));
  log.open();
  let warned = false;
  return {
    log,
    actor: actorOf(config),
    onWriteError: (error) => {
      if (!warned) warn(context.io, `orchest: warning: ${(error as Error).message}`);
      warned = true;
    },
  };
}

/** Tells the person at the terminal about a retry, or a wait a service asked for. */
export function warnRetry(
  context: CommandContext,
  instance: string,
  error: OrchesterError,
  decision: RetryDecision,
  doing = '',
): void {
  if (decision.action !== 'retry') return;
  const seconds = Math.ceil(decision.delayMs / 1000);
  warn(
    context.io,
    `orchest: ${instance}: ${doing}${error.message}; ${decision.spendsAttempt ? 'retrying' : 'waiting as the service asked'} in ${seconds} s`,
  );
}

/** Tells the person at the terminal about each retry of a job and each wait a service asked for. */
export function warnRetries(
  context: CommandContext,
): NonNullable<InlineRunOptions['onAttemptFailed']> {
  return (job, error, decision) => warnRetry(context, job.instance, error, decision);
}
