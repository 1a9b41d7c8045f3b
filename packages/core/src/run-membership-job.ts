import type { AnyConnector, ConnectorInstance } from './contract.js';
import { type OrchesterError, toOrchesterError } from './errors.js';
import type { MembershipJob } from './job.js';
import type { MembershipOutcome, MembershipState } from './membership.js';
import { assertAction, parseIdentifier, parseOptions } from './prepare-job.js';

/** Gives runners the connector and the live instance behind an instance name. */
export interface InstanceResolver {
  connectorOf(instance: string): Promise<AnyConnector>;
  instance(instance: string): Promise<ConnectorInstance>;
}

/** What one attempt gave: a result, or a classified error. */
export type JobAttempt =
  | {
      readonly ok: true;
      readonly state?: MembershipState;
      readonly outcome?: MembershipOutcome;
      readonly role?: string;
      readonly detail?: string;
      readonly partial?: boolean;
      readonly durationMs: number;
    }
  | { readonly ok: false; readonly error: OrchesterError; readonly durationMs: number };

/**
 * Runs one attempt of `job` through its connector. Never throws: every failure comes back as a
 * classified OrchesterError, which the retry policy turns into a decision.
 */
export async function runMembershipJob(
  job: MembershipJob,
  resolver: InstanceResolver,
  clock: { now(): number } = Date,
): Promise<JobAttempt> {
  const started = clock.now();
  try {
    const connector = await resolver.connectorOf(job.instance);
    assertAction(connector, job.action);
    const identifier = parseIdentifier(connector, job.identifier);
    const options = job.action === 'check' ? {} : parseOptions(connector, job.action, job.options);
    const instance = await resolver.instance(job.instance);
    if (job.action === 'check') {
      const result = await instance.check(identifier);
      return { ok: true, ...result, durationMs: clock.now() - started };
    }
    const result =
      job.action === 'add'
        ? await instance.add(identifier, options)
        : await instance.remove(identifier, options);
    return { ok: true, ...result, durationMs: clock.now() - started };
  } catch (error) {
    return { ok: false, error: toOrchesterError(error), durationMs: clock.now() - started };
  }
}
