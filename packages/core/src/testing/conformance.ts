import assert from 'node:assert/strict';
import type { AnyConnector, ChangeAttempt, ConnectorInstance } from '../contract.js';
import { isOrchesterError, type RateLimitedError } from '../errors.js';
import type { ChangeResult, CheckResult, MembershipOutcome } from '../membership.js';
import { SECRET_KEY } from '../redact.js';
import { directAttempt } from './direct-attempt.js';
import { createTestContext, type TestContext } from './test-context.js';

/** The faults `describeConformance` asks an emulator for (`@orchester/sandbox`'s FaultSpec). */
export interface ConformanceFaults {
  readonly errorRate?: number;
  readonly rateLimitRate?: number;
  readonly retryAfterSeconds?: number;
  readonly dropRate?: number;
  readonly dropAfterRate?: number;
  readonly seed?: number;
}

/** A running emulator as the suite uses it: `@orchester/sandbox`'s `RunningEmulator` fits. */
export interface ConformanceEmulator {
  readonly url: string;
  configBlock(): Record<string, unknown>;
  setFaults(spec: ConformanceFaults): void;
  close(): Promise<void>;
}

/** The test functions of the runner (vitest's, or node:test's `describe` and `it`). */
export interface ConformanceSuite {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>, timeout?: number): unknown;
}

export interface ConformanceOptions {
  readonly connector: AnyConnector;
  /** Starts a fresh emulator (seeded with `member`); each check gets its own. */
  start(): Promise<ConformanceEmulator>;
  /** Someone `add` can add (no membership, no invitation): a login or an e-mail. */
  readonly newcomer: string;
  /** A current member `remove` can remove. */
  readonly member: string;
  /**
   * A current member whose role is not the one `add` gives someone new (an owner, a maintainer):
   * a bare `add` must leave them with it. Leave it out when the connector has one role.
   */
  readonly keepsRole?: { readonly identifier: string; readonly role: string };
  /** Config values the service refuses as credentials (a revoked token). */
  readonly wrongCredentials: Record<string, unknown>;
  /** Names that must never show in a route (the organization...); the two people always are. */
  readonly identifiers?: readonly string[];
  /** Secrets beyond the config's secret-named values, which never show in any output. */
  readonly secrets?: readonly string[];
  /** Per-test timeout in ms (default 30 s). */
  readonly timeoutMs?: number;
}

const ADDED: readonly MembershipOutcome[] = ['added', 'invited', 'reactivated', 'role-changed'];
const REMOVED: readonly MembershipOutcome[] = ['removed', 'invitation-cancelled'];

/**
 * An attempt that sends each change at once and keeps, for each, whether its answer says it
 * changed something (`options.changed`, true by default): a write whose answer says "already
 * there" is no change.
 */
function notingAttempt(): ChangeAttempt & {
  readonly made: () => MembershipOutcome[];
} {
  const sent: Array<{ outcome: MembershipOutcome; changed: boolean }> = [];
  return {
    made: () => sent.filter((s) => s.changed).map((s) => s.outcome),
    async change(outcome, send, options) {
      const answer = await send();
      sent.push({ outcome, changed: options?.changed?.(answer) ?? true });
      return answer;
    },
  };
}

/** One emulator and instance, with everything the connector said kept for the secret check. */
interface Session {
  readonly emulator: ConformanceEmulator;
  readonly instance: ConnectorInstance;
  readonly context: TestContext<unknown>;
  readonly outputs: unknown[];
  readonly secrets: string[];
}

/**
 * The checks every connector passes against its emulator: idempotent add and remove, the replay
 * after a lost answer, each error class, Retry-After honoured, no secret in any output, and
 * route templates without identifiers. Call it from a test file with the runner's functions:
 * `describeConformance({ describe, it }, { connector, start, newcomer, member, wrongCredentials })`.
 */
export function describeConformance(suite: ConformanceSuite, options: ConformanceOptions): void {
  const { connector } = options;
  const timeout = options.timeoutMs ?? 30_000;

  async function session(
    overrides: Record<string, unknown> = {},
    body: (s: Session) => Promise<void>,
  ): Promise<void> {
    const emulator = await options.start();
    const secrets: string[] = [...(options.secrets ?? [])];
    const outputs: unknown[] = [];
    try {
      const { type: _t, base_url: _b, limits: _l, ...own } = emulator.configBlock();
      const block = { ...own, ...overrides };
      collectSecrets(own, secrets);
      collectSecrets(overrides, secrets);
      const config = connector.configSchema.parse(block);
      const context = createTestContext({ config, baseUrl: emulator.url, instance: connector.id });
      const instance = await connector.create(context);
      try {
        await body({ emulator, instance, context, outputs, secrets });
      } finally {
        await instance.close?.();
      }
      outputs.push(context.logs, context.calls);
      assertNoSecret(outputs, secrets);
      assertRouteTemplates(context, [
        options.newcomer,
        options.member,
        ...(options.keepsRole ? [options.keepsRole.identifier] : []),
        ...(options.identifiers ?? []),
      ]);
    } finally {
      await emulator.close();
    }
  }

  /** The error a promise rejects with, kept for the secret check. */
  async function failure(s: Session, promise: Promise<unknown>) {
    const error = await promise.then(
      (value) => {
        throw new assert.AssertionError({
          message: `expected a failure, got ${JSON.stringify(value)}`,
        });
      },
      (e: unknown) => e,
    );
    s.outputs.push(error, errorText(error));
    assert.ok(isOrchesterError(error), `expected an orchester error, got ${errorText(error)}`);
    return error;
  }

  const kept = (s: Session, result: ChangeResult | unknown) => {
    s.outputs.push(result);
    return result as ChangeResult;
  };

  suite.describe(`${connector.displayName} connector conformance`, () => {
    suite.it(
      'add is idempotent: a second add changes nothing and says already-*',
      () =>
        session({}, async (s) => {
          const first = kept(s, await s.instance.add(options.newcomer, {}, directAttempt()));
          assert.ok(ADDED.includes(first.outcome), `first add: ${first.outcome}`);
          const again = notingAttempt();
          const second = kept(s, await s.instance.add(options.newcomer, {}, again));
          assert.match(second.outcome, /^already-/, `second add: ${second.outcome}`);
          assert.deepEqual(again.made(), [], 'the second add made a change');
        }),
      timeout,
    );

    const keepsRole = options.keepsRole;
    if (keepsRole) {
      suite.it(
        'a bare add leaves someone already there with their role, and changes nothing',
        () =>
          session({}, async (s) => {
            const attempt = notingAttempt();
            const result = kept(s, await s.instance.add(keepsRole.identifier, {}, attempt));
            assert.equal(result.outcome, 'already-member', `bare add: ${result.outcome}`);
            assert.equal(result.role, keepsRole.role, `bare add answered role ${result.role}`);
            assert.deepEqual(attempt.made(), [], 'the bare add made a change');
            const after: CheckResult = await s.instance.check(keepsRole.identifier);
            s.outputs.push(after);
            assert.equal(after.role, keepsRole.role, `role after a bare add: ${after.role}`);
          }),
        timeout,
      );
    }

    suite.it(
      'remove is idempotent: a second remove changes nothing and says not-member',
      () =>
        session({}, async (s) => {
          const first = kept(s, await s.instance.remove(options.member, {}, directAttempt()));
          assert.ok(REMOVED.includes(first.outcome), `first remove: ${first.outcome}`);
          const again = notingAttempt();
          const second = kept(s, await s.instance.remove(options.member, {}, again));
          assert.equal(second.outcome, 'not-member');
          assert.deepEqual(again.made(), [], 'the second remove made a change');
        }),
      timeout,
    );

    suite.it(
      'a lost answer: the write fails retryable, and the replay finds it done without writing again',
      () =>
        session({}, async (s) => {
          const noted: MembershipOutcome[] = [];
          // Only the write's answer is lost: faults are on while `send` runs, off around it.
          const losing: ChangeAttempt = {
            async change(outcome, send) {
              noted.push(outcome);
              s.emulator.setFaults({ dropAfterRate: 1 });
              try {
                return await send();
              } finally {
                s.emulator.setFaults({});
              }
            },
          };
          const lost = await failure(s, s.instance.add(options.newcomer, {}, losing));
          assert.equal(lost.retryable, true, `a lost answer must be retryable: ${lost.code}`);
          assert.equal(noted.length, 1);
          assert.ok(ADDED.includes(noted[0] as MembershipOutcome), `noted: ${noted[0]}`);
          const replay = notingAttempt();
          const again = kept(s, await s.instance.add(options.newcomer, {}, replay));
          assert.match(again.outcome, /^already-/, `replay: ${again.outcome}`);
          assert.deepEqual(replay.made(), [], 'the replay made the change again');
        }),
      timeout,
    );

    suite.it(
      'wrong credentials: AuthenticationError, not retried',
      () =>
        session(options.wrongCredentials, async (s) => {
          const error = await failure(s, s.instance.check(options.member));
          assert.equal(error.code, 'ORCH_AUTHENTICATION', error.message);
          assert.equal(error.retryable, false);
          if (s.instance.verify) {
            const verified = await failure(s, s.instance.verify());
            assert.equal(verified.code, 'ORCH_AUTHENTICATION', verified.message);
          }
        }),
      timeout,
    );

    suite.it(
      'a 5xx and a dropped connection: TransientError, retried',
      () =>
        session({}, async (s) => {
          s.emulator.setFaults({ errorRate: 1 });
          const failed = await failure(s, s.instance.check(options.member));
          assert.equal(failed.code, 'ORCH_TRANSIENT', failed.message);
          assert.equal(failed.retryable, true);
          s.emulator.setFaults({ dropRate: 1 });
          const dropped = await failure(s, s.instance.check(options.member));
          assert.equal(dropped.code, 'ORCH_TRANSIENT', dropped.message);
          s.emulator.setFaults({});
          if (s.instance.verify) await s.instance.verify();
        }),
      timeout,
    );

    suite.it(
      'Retry-After honoured: a rate-limited answer waits as long as the service asks',
      () =>
        session({}, async (s) => {
          s.emulator.setFaults({ rateLimitRate: 1, retryAfterSeconds: 17 });
          const error = await failure(s, s.instance.check(options.member));
          assert.ok(error instanceof Error && error.name === 'RateLimitedError', error.message);
          const wait = (error as RateLimitedError).retryAfterMs;
          assert.ok(wait >= 17_000 && wait <= 18_000, `waits ${wait} ms, asked 17 s`);
        }),
      timeout,
    );

    suite.it(
      'stopped by orchester: CancelledError',
      () =>
        session({}, async (s) => {
          s.context.controller.abort(new Error('shutting down'));
          const error = await failure(s, s.instance.check(options.member));
          assert.equal(error.code, 'ORCH_CANCELLED', error.message);
        }),
      timeout,
    );

    suite.it(
      'no secret in any output, and every route a template without identifiers',
      () =>
        session({}, async (s) => {
          kept(s, await s.instance.check(options.member));
          kept(s, await s.instance.add(options.newcomer, {}, directAttempt()));
          kept(s, await s.instance.check(options.newcomer));
          kept(s, await s.instance.remove(options.newcomer, {}, directAttempt()));
          if (s.instance.list) {
            const records: unknown[] = [];
            for await (const record of s.instance.list()) records.push(record);
            s.outputs.push(records);
          }
          // session() checks outputs, logs and calls after this body.
          assert.ok(s.context.calls.length > 0, 'the connector recorded no call');
        }),
      timeout,
    );
  });
}

function collectSecrets(value: unknown, into: string[], key = ''): void {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) && value.length >= 6) into.push(value);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectSecrets(v, into, key);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectSecrets(v, into, k);
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const json = (error as { toJSON?: () => unknown }).toJSON?.();
  return `${error.name}: ${error.message}\n${error.stack ?? ''}\n${JSON.stringify(json ?? {})}`;
}

function assertNoSecret(outputs: unknown[], secrets: readonly string[]): void {
  const text = outputs
    .map((o) => (o instanceof Error ? errorText(o) : (JSON.stringify(o) ?? String(o))))
    .join('\n');
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `a secret (${secret.length} characters) shows in the output`);
  }
}

function assertRouteTemplates(context: TestContext<unknown>, names: readonly string[]): void {
  for (const call of context.calls) {
    assert.ok(!/[?@]|:\/\//.test(call.route), `route "${call.route}" is a URL, not a template`);
    for (const name of names) {
      for (const part of [name, encodeURIComponent(name)]) {
        assert.ok(!call.route.includes(part), `route "${call.route}" names "${part}"`);
      }
    }
  }
}
