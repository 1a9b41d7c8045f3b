import type {
  AnyConnector,
  ChangeResult,
  CheckResult,
  IdentityStore,
  Logger,
  MemberRecord,
  MembershipAction,
  MembershipOptions,
} from '@orchester/core';
import {
  type Clock,
  InternalError,
  type OrchesterError,
  systemClock,
  UnsupportedError,
} from '@orchester/core';
import { loadConfig, type OrchesterConfig } from './config/load.js';
import { findConnectorPackages } from './discovery/find-connectors.js';
import { FileIdentityStore } from './identities/file-identity-store.js';
import { identitiesPathOf } from './identities/identity-path.js';
import { runJobsInline } from './inline-runner.js';
import { type MembershipJob, newBatchId } from './job.js';
import { ConnectorRegistry } from './registry.js';
import type { BatchReport, JobReport } from './report.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';

export interface OpenOrchesterOptions {
  /** A config file path, a loaded config, or nothing to search as the CLI does. */
  readonly config?: string | OrchesterConfig;
  /** Where installed connector packages are searched from; defaults to the current directory. */
  readonly from?: string;
  /** Connectors given directly instead of discovered. */
  readonly connectors?: readonly AnyConnector[];
  readonly env?: NodeJS.ProcessEnv;
  readonly policy?: RetryPolicy;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Where e-mail -> service id maps live; default the owner-only file beside the audit file. */
  readonly identities?: IdentityStore;
}

/** orchester as a library: the same connectors, config, retries and rate limits as the CLI. */
export interface Orchester {
  readonly registry: ConnectorRegistry;
  check(instance: string, identifier: string): Promise<CheckResult>;
  add(instance: string, identifier: string, options?: MembershipOptions): Promise<ChangeResult>;
  remove(instance: string, identifier: string, options?: MembershipOptions): Promise<ChangeResult>;
  /** Every current member and pending invitation of an instance. */
  list(instance: string): AsyncIterable<MemberRecord>;
  /** Runs many jobs as one batch, inline, and reports each. */
  run(
    jobs: ReadonlyArray<
      Omit<MembershipJob, 'batchId' | 'options'> & { options?: MembershipOptions }
    >,
  ): Promise<BatchReport>;
  close(): Promise<void>;
}

/** Opens orchester for use from code. Close it when done. */
export function openOrchester(options: OpenOrchesterOptions = {}): Orchester {
  const env = options.env ?? process.env;
  const config =
    typeof options.config === 'object'
      ? options.config
      : loadConfig({ explicitPath: options.config, env });
  const registry = new ConnectorRegistry({
    packages: findConnectorPackages({
      from: options.from ?? process.cwd(),
      plugins: config.plugins,
      configDir: config.dir,
      env,
    }),
    config,
    env,
    ...(options.connectors ? { connectors: options.connectors } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    identities:
      options.identities ?? new FileIdentityStore(identitiesPathOf(config, env.HOME || undefined)),
  });
  const clock = options.clock ?? systemClock;

  const runBatch = (
    jobs: Parameters<Orchester['run']>[0],
    onError?: (error: OrchesterError) => void,
  ): Promise<BatchReport> => {
    const batchId = newBatchId(clock.now());
    return runJobsInline(
      batchId,
      jobs.map((j) => ({ ...j, options: { ...(j.options ?? {}) }, batchId })),
      {
        resolver: registry,
        limitsFor: (name) => registry.limitsFor(name),
        policy: options.policy ?? DEFAULT_RETRY_POLICY,
        clock,
        ...(onError
          ? { onAttemptFailed: (_job: MembershipJob, error: OrchesterError) => onError(error) }
          : {}),
      },
    );
  };

  const one = async (
    instance: string,
    action: MembershipAction,
    identifier: string,
    opts: MembershipOptions = {},
  ) => {
    const name = registry.selectInstance(instance).name;
    // The report holds codes and messages; keep the classified error to rethrow it whole.
    let last: OrchesterError | undefined;
    const report = await runBatch(
      [{ instance: name, action, identifier, options: opts }],
      (error) => {
        last = error;
      },
    );
    const row = report.jobs[0] as JobReport;
    if (row.status === 'failed')
      throw last ?? new InternalError(row.error?.message ?? 'job failed');
    return row;
  };

  return {
    registry,
    async check(instance, identifier) {
      const row = await one(instance, 'check', identifier);
      return {
        state: row.state ?? 'absent',
        ...(row.role ? { role: row.role } : {}),
        ...(row.detail ? { detail: row.detail } : {}),
      };
    },
    async add(instance, identifier, opts) {
      const row = await one(instance, 'add', identifier, opts);
      return {
        outcome: row.outcome ?? 'added',
        ...(row.role ? { role: row.role } : {}),
        ...(row.detail ? { detail: row.detail } : {}),
      };
    },
    async remove(instance, identifier, opts) {
      const row = await one(instance, 'remove', identifier, opts);
      return { outcome: row.outcome ?? 'removed', ...(row.detail ? { detail: row.detail } : {}) };
    },
    async *list(instance) {
      const name = registry.selectInstance(instance).name;
      const live = await registry.instance(name);
      if (!live.list) throw new UnsupportedError(`instance ${name} cannot list its members`);
      yield* live.list();
    },
    run: (jobs) => runBatch(jobs),
    close: () => registry.close(),
  };
}
