import type { AnyConnector, ConnectorInstance } from '@orchester/core';
import {
  CancelledError,
  ConfigError,
  type OrchesterError,
  PermissionError,
  RateLimitedError,
  TransientError,
} from '@orchester/core';
import {
  createMemoryConnector,
  FakeClock,
  type MemoryConnectorOptions,
} from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import type { ConnectorRegistry } from '../registry.js';
import { DEFAULT_RETRY_POLICY, type RetryDecision } from '../retry-policy.js';
import type { InstanceResolver } from '../run-membership-job.js';
import { memoryConfig, registryFor } from '../testing/registry-for.js';
import { parseRoster } from './load-roster.js';
import { plan } from './plan.js';
import { readSnapshotDeadline } from './roster-config.js';
import type { SnapshotOptions } from './snapshot.js';
import type { Roster } from './types.js';

const policy = { ...DEFAULT_RETRY_POLICY, attempts: 3, baseDelayMs: 100, jitter: 0 };
const FIVE = { ada: 'member', bob: 'member', cy: 'invited', dan: 'member', eve: 'member' } as const;
const page = (n: number) => ({ action: 'list', identifier: `page ${n}` });

/** Instance `team` with five members listed two a page (three pages), and a roster for it. */
async function team(options: MemoryConnectorOptions = {}) {
  const made = createMemoryConnector({ pageSize: 2, members: { ...FIVE }, ...options });
  const registry = registryFor([made.connector], { team: 'memory' });
  const roster = await parseRoster(
    {
      instances: { team: { prune: true, maxRemovalRatio: 1 } },
      people: ['ada', 'bob', 'cy', 'hal'].map((name) => ({
        name,
        email: `${name}@example.com`,
        identities: { team: name },
        access: ['team'],
      })),
    },
    'team.yaml',
    registry,
  );
  return { ...made, registry, roster };
}

/** Starts a plan on a fake clock; `retries` records what the policy decided after each failure. */
function planOn(
  t: { roster: Roster; registry: ConnectorRegistry; resolver?: InstanceResolver },
  options: SnapshotOptions = {},
) {
  const clock = new FakeClock();
  const retries: Array<{ code: string; decision: RetryDecision }> = [];
  const running = plan(t.roster, t.resolver ?? t.registry, {
    policy,
    clock,
    limitsFor: (name) => t.registry.limitsFor(name),
    onRetry: (_instance, error, decision) => retries.push({ code: error.code, decision }),
    ...options,
  });
  running.catch(() => {});
  return { clock, running, retries };
}

/** The plan of the same instance read without any fault. */
async function faultless() {
  const t = await team();
  return plan(t.roster, t.registry);
}

const failureOf = async (running: Promise<unknown>) =>
  (await running.then(
    () => expect.unreachable('the plan was made'),
    (error: unknown) => error,
  )) as OrchesterError;

describe('plan reads each instance with the retry policy of jobs', () => {
  it('waits what a 429 asked for without spending an attempt, and reads the listing again from its first page', async () => {
    const t = await team();
    t.service.failures.push(undefined, new RateLimitedError('slow down', 1_500));
    const { clock, running, retries } = planOn(t, { policy: { ...policy, attempts: 1 } });
    await clock.advance(1_499);
    expect(t.service.calls).toEqual([page(1), page(2)]);
    await clock.advance(1);
    const p = await running;
    expect(t.service.calls).toEqual([page(1), page(2), page(1), page(2), page(3)]);
    expect(retries).toEqual([
      {
        code: 'ORCH_RATE_LIMITED',
        decision: { action: 'retry', delayMs: 1_500, spendsAttempt: false },
      },
    ]);
    // One listing, not the first two pages of one glued to another.
    expect(p).toEqual(await faultless());
    expect(p.instances[0]?.current).toMatchObject({ members: 4, invited: 1 });
  });

  it('backs off from 5xx, timeouts and dropped connections with the policy delays, each time a fresh listing', async () => {
    const t = await team();
    const fault = (what: string) => new TransientError(what);
    t.service.failures.push(fault('answered 502'), undefined, fault('timed out'));
    const { clock, running, retries } = planOn(t);
    await clock.advance(99);
    expect(t.service.calls).toEqual([page(1)]);
    await clock.advance(1);
    expect(t.service.calls).toEqual([page(1), page(1), page(2)]);
    await clock.advance(199);
    expect(t.service.calls).toHaveLength(3);
    await clock.advance(1);
    expect(await running).toEqual(await faultless());
    expect(t.service.calls).toEqual([page(1), page(1), page(2), page(1), page(2), page(3)]);
    expect(retries.map((r) => r.decision)).toEqual([
      { action: 'retry', delayMs: 100, spendsAttempt: true },
      { action: 'retry', delayMs: 200, spendsAttempt: true },
    ]);
  });

  it('fails at once on a permanent error, naming the instance, and stops reading the others', async () => {
    const down = createMemoryConnector({ id: 'mem-down', members: { ...FIVE } });
    const slow = createMemoryConnector({ id: 'mem-slow', members: { ...FIVE } });
    down.service.failures.push(new PermissionError('the token may not list members'));
    slow.service.failures.push(new RateLimitedError('slow down', 60_000));
    const registry = registryFor([down.connector, slow.connector], {
      down: 'mem-down',
      slow: 'mem-slow',
    });
    const roster = await parseRoster(
      { people: [{ name: 'Ada', email: 'ada@example.com', access: ['down', 'slow'] }] },
      'team.yaml',
      registry,
    );
    const { clock, running } = planOn({ roster, registry });
    const error = await failureOf(running);
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.message).toBe(
      'could not read down: the token may not list members (ORCH_PERMISSION)',
    );
    expect(error.details).toMatchObject({
      instance: 'down',
      lastError: { code: 'ORCH_PERMISSION', message: 'the token may not list members' },
    });
    expect(down.service.calls).toHaveLength(1);
    // The other instance's 60 s wait was not sat out: no time passed, no second call.
    expect(clock.now()).toBe(new FakeClock().now());
    expect(slow.service.calls).toHaveLength(1);
  });

  it('fails naming the instance and its last error when the attempts run out', async () => {
    const t = await team();
    t.service.failures.push(
      ...Array.from({ length: 10 }, () => new TransientError('answered 503')),
    );
    const { clock, running } = planOn(t);
    await clock.runAll();
    const error = await failureOf(running);
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toBe('could not read team: answered 503 (ORCH_TRANSIENT, 3 tries)');
    expect(error.details).toMatchObject({ instance: 'team', tries: 3 });
    expect(t.service.calls).toEqual([page(1), page(1), page(1)]);
  });

  it('does not begin a wait that would end past the deadline', async () => {
    const t = await team();
    t.service.failures.push(new RateLimitedError('slow down', 60_000));
    const { clock, running, retries } = planOn(t, { deadlineMs: 30_000 });
    const error = await failureOf(running);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.message).toBe(
      'could not read team within 30 s (roster.snapshot_deadline_ms): slow down (ORCH_RATE_LIMITED)',
    );
    expect(clock.now()).toBe(new FakeClock().now());
    expect(retries).toEqual([]);
  });

  it('gives up on a read still unanswered at the deadline, naming the instance', async () => {
    const t = await team();
    const hanging = {
      connectorOf: (name: string) => t.registry.connectorOf(name),
      instance: async (name: string): Promise<ConnectorInstance> => ({
        ...(await t.registry.instance(name)),
        // A listing whose first page never comes.
        list: async function* () {
          await new Promise(() => {});
        },
      }),
    };
    const clock = new FakeClock();
    const running = plan(t.roster, hanging, { clock, deadlineMs: 45_000 });
    running.catch(() => {});
    await clock.advance(44_999);
    await clock.advance(1);
    const error = await failureOf(running);
    expect(error.code).toBe('ORCH_TRANSIENT');
    expect(error.message).toBe(
      'could not read team within 45 s (roster.snapshot_deadline_ms): team gave no answer (ORCH_TRANSIENT)',
    );
  });

  it("keeps to the instance's declared rate between attempts, as jobs do", async () => {
    const t = await team({ limits: { concurrency: 1, rate: { max: 1, durationMs: 10_000 } } });
    t.service.failures.push(new TransientError('answered 500'));
    const { clock, running } = planOn(t);
    // The backoff is 100 ms, but the rate allows the next listing only 10 s after the first.
    await clock.advance(9_999);
    expect(t.service.calls).toEqual([page(1)]);
    await clock.advance(1);
    await running;
    expect(t.service.calls).toEqual([page(1), page(1), page(2), page(3)]);
  });

  it('retries each check where the connector cannot list', async () => {
    const t = await team();
    const unlisted: AnyConnector = {
      ...t.connector,
      capabilities: { ...t.connector.capabilities, list: false },
    };
    const resolver = {
      connectorOf: async () => unlisted,
      instance: (name: string) => t.registry.instance(name),
    };
    const roster = { ...t.roster, instances: [{ ...t.roster.instances[0]!, prune: false }] };
    t.service.failures.push(undefined, new RateLimitedError('slow down', 2_000));
    const { clock, running } = planOn({ roster, registry: t.registry, resolver });
    await clock.runAll();
    const p = await running;
    expect(t.service.calls.map((c) => `${c.action} ${c.identifier}`)).toEqual([
      'check ada',
      'check bob',
      'check bob',
      'check cy',
      'check hal',
    ]);
    expect(p.instances[0]).toMatchObject({
      snapshot: 'check',
      current: { members: 2, invited: 1 },
    });
  });

  it('stops with a CancelledError when its signal aborts during a wait', async () => {
    const t = await team();
    t.service.failures.push(new RateLimitedError('slow down', 5_000));
    const controller = new AbortController();
    const { clock, running } = planOn(t, { signal: controller.signal });
    await clock.advance(1_000);
    controller.abort(new Error('received SIGINT'));
    const error = await failureOf(running);
    expect(error).toBeInstanceOf(CancelledError);
    expect(t.service.calls).toHaveLength(1);
  });

  it('reports a config error as it is (exit 2), without retrying', async () => {
    const made = createMemoryConnector({ members: { ...FIVE } });
    const registry = registryFor([made.connector], {
      team: { type: 'memory', block: { colour: 'blue' } },
    });
    const roster = await parseRoster(
      { people: [{ name: 'Ada', email: 'ada@example.com', access: ['team'] }] },
      'team.yaml',
      registry,
    );
    const error = await failureOf(planOn({ roster, registry }).running);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.category).toBe('input');
    expect(error.message).toMatch(/^config: connectors\.team: /);
    expect(made.service.calls).toEqual([]);
  });
});

describe('roster.snapshot_deadline_ms', () => {
  const config = (roster: unknown) => ({ ...memoryConfig({}), sections: { roster } });

  it('is the deadline, 3 minutes when not set', () => {
    expect(readSnapshotDeadline(config({ snapshot_deadline_ms: 2_500 }))).toBe(2_500);
    expect(readSnapshotDeadline(config(undefined))).toBe(180_000);
  });

  it('must be a whole number of milliseconds', () => {
    expect(() => readSnapshotDeadline(config({ snapshot_deadline_ms: '3m' }))).toThrow(
      /roster\.snapshot_deadline_ms: .*number/,
    );
    expect(() => readSnapshotDeadline(config({ deadline: 1 }))).toThrow(ConfigError);
  });
});
