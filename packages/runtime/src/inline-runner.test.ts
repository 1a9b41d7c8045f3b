import {
  defineConnector,
  PermissionError,
  RateLimitedError,
  TransientError,
} from '@orchester/core';
import { createMemoryConnector, FakeClock } from '@orchester/core/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runJobsInline } from './inline-runner.js';
import type { MembershipJob } from './job.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { registryFor } from './testing/registry-for.js';

const job = (
  identifier: string,
  action: MembershipJob['action'] = 'add',
  instance = 'mem',
): MembershipJob => ({
  instance,
  action,
  identifier,
  options: {},
  batchId: 'b1',
});

const fastPolicy = { ...DEFAULT_RETRY_POLICY, attempts: 3, baseDelayMs: 100, jitter: 0 };

describe('runJobsInline', () => {
  it('carries out every job and reports each outcome', async () => {
    const { connector, service } = createMemoryConnector({
      members: { ada: 'member', bob: 'invited' },
    });
    const registry = registryFor([connector], { mem: 'memory' });
    const report = await runJobsInline(
      'b1',
      [job('ada'), job('bob'), job('cy'), job('ada', 'remove'), job('dan', 'remove')],
      {
        resolver: registry,
        limitsFor: (n) => registry.limitsFor(n),
      },
    );
    // ada's add and remove race in one batch; the other outcomes are fixed.
    expect(
      report.jobs.map((j) => [j.identifier, j.action, j.outcome]).filter(([id]) => id !== 'ada'),
    ).toEqual([
      ['bob', 'add', 'already-invited'],
      ['cy', 'add', 'added'],
      ['dan', 'remove', 'not-member'],
    ]);
    expect(report.totals).toMatchObject({ jobs: 5, succeeded: 5, failed: 0 });
    expect(service.members.get('cy')).toEqual({ state: 'member', role: 'member' });
  });

  it('waits what a rate-limited service asked for, pausing the whole lane, without spending attempts', async () => {
    const clock = new FakeClock();
    const { connector, service } = createMemoryConnector({ limits: { concurrency: 1 } });
    service.failures.push(
      new RateLimitedError('slow down', 30_000),
      new RateLimitedError('slow down', 30_000),
      new RateLimitedError('slow down', 30_000),
      new RateLimitedError('slow down', 30_000),
    );
    const registry = registryFor([connector], { mem: 'memory' });
    const callTimes: number[] = [];
    const running = runJobsInline('b1', [job('ada'), job('bob')], {
      resolver: registry,
      limitsFor: (n) => registry.limitsFor(n),
      policy: fastPolicy,
      clock,
      onAttemptFailed: () => callTimes.push(clock.now()),
    });
    await clock.runAll();
    const report = await running;
    expect(report.jobs.map((j) => [j.identifier, j.status, j.attempts])).toEqual([
      ['ada', 'succeeded', 1],
      ['bob', 'succeeded', 1],
    ]);
    // Four 429s in a row: each pause starts when the limit was hit and lasts what was asked.
    expect(callTimes.slice(1).map((t, i) => t - callTimes[i]!)).toEqual([30_000, 30_000, 30_000]);
    expect(service.calls).toHaveLength(6);
  });

  it('fails a permanent error after one attempt and retries transient ones with backoff', async () => {
    const clock = new FakeClock();
    const { connector, service } = createMemoryConnector({ limits: { concurrency: 1 } });
    service.failures.push(
      new PermissionError('not an owner'),
      new TransientError('503'),
      new TransientError('503'),
    );
    const registry = registryFor([connector], { mem: 'memory' });
    const running = runJobsInline('b1', [job('ada'), job('bob')], {
      resolver: registry,
      limitsFor: (n) => registry.limitsFor(n),
      policy: fastPolicy,
      clock,
    });
    await clock.runAll();
    const report = await running;
    expect(report.jobs[0]).toMatchObject({
      identifier: 'ada',
      status: 'failed',
      attempts: 1,
      error: { code: 'ORCH_PERMISSION' },
    });
    expect(report.jobs[1]).toMatchObject({
      identifier: 'bob',
      status: 'succeeded',
      attempts: 3,
      outcome: 'added',
    });
    expect(clock.sleeps).toEqual([100, 200]);
  });

  it('gives up on transient errors when attempts run out', async () => {
    const clock = new FakeClock();
    const { connector, service } = createMemoryConnector();
    service.failures.push(...Array.from({ length: 5 }, () => new TransientError('503')));
    const registry = registryFor([connector], { mem: 'memory' });
    const running = runJobsInline('b1', [job('ada')], {
      resolver: registry,
      limitsFor: (n) => registry.limitsFor(n),
      policy: fastPolicy,
      clock,
    });
    await clock.runAll();
    expect((await running).jobs[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { code: 'ORCH_TRANSIENT' },
    });
  });

  it('rejects a bad identifier without calling the service', async () => {
    const { connector, service } = createMemoryConnector();
    const registry = registryFor([connector], { mem: 'memory' });
    const report = await runJobsInline('b1', [job('not valid!')], {
      resolver: registry,
      limitsFor: (n) => registry.limitsFor(n),
    });
    expect(report.jobs[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'ORCH_INVALID_IDENTIFIER' },
    });
    expect(service.calls).toEqual([]);
  });

  it('keeps to the instance concurrency', async () => {
    let active = 0;
    let peak = 0;
    const connector = defineConnector({
      id: 'slow',
      displayName: 'Slow',
      configSchema: z.object({}),
      identifierSchema: z.string(),
      identifierHint: 'a name',
      capabilities: {
        actions: ['check', 'add', 'remove'],
        roles: ['member'],
        list: false,
        serialWrites: false,
      },
      limits: { concurrency: 3 },
      create: () => ({
        async check() {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active -= 1;
          return { state: 'absent' };
        },
        add: async () => ({ outcome: 'added' }),
        remove: async () => ({ outcome: 'removed' }),
      }),
    });
    const registry = registryFor([connector], { s: 'slow' });
    const jobs = Array.from({ length: 20 }, (_, i) => job(`p${i}`, 'check', 's'));
    const report = await runJobsInline('b1', jobs, {
      resolver: registry,
      limitsFor: (n) => registry.limitsFor(n),
    });
    expect(report.totals.succeeded).toBe(20);
    expect(peak).toBe(3);
  });

  it('never overlaps writes to a connector that forbids it, so no update is lost', async () => {
    // A service that applies only the last of concurrent writes: read, wait, write back.
    const acl = new Set<string>();
    let overlapping = 0;
    let peakWrites = 0;
    const lossy = defineConnector({
      id: 'lossy',
      displayName: 'Lossy',
      configSchema: z.object({}),
      identifierSchema: z.string(),
      identifierHint: 'a name',
      capabilities: {
        actions: ['check', 'add', 'remove'],
        roles: ['reader'],
        list: false,
        serialWrites: true,
      },
      limits: { concurrency: 10 },
      create: () => ({
        check: async () => ({ state: 'absent' }),
        async add(id) {
          overlapping += 1;
          peakWrites = Math.max(peakWrites, overlapping);
          const snapshot = new Set(acl);
          await new Promise((r) => setTimeout(r, 2));
          snapshot.add(id);
          acl.clear();
          for (const a of snapshot) acl.add(a);
          overlapping -= 1;
          return { outcome: 'added' };
        },
        remove: async () => ({ outcome: 'removed' }),
      }),
    });
    const registry = registryFor([lossy], { l: 'lossy' });
    const jobs = Array.from({ length: 30 }, (_, i) => job(`p${i}`, 'add', 'l'));
    await runJobsInline('b1', jobs, {
      resolver: registry,
      limitsFor: (n) => registry.limitsFor(n),
    });
    expect(peakWrites).toBe(1);
    expect(acl.size).toBe(30);
  });

  it('starts no more jobs per window than the rate allows', async () => {
    const clock = new FakeClock(0);
    const { connector, service } = createMemoryConnector({
      limits: { concurrency: 10, rate: { max: 2, durationMs: 1_000 } },
    });
    const registry = registryFor([connector], { mem: 'memory' });
    const starts: number[] = [];
    const original = service.next.bind(service);
    service.next = (action, id) => {
      starts.push(clock.now());
      original(action, id);
    };
    const running = runJobsInline(
      'b1',
      ['a', 'b', 'c', 'd', 'e'].map((id) => job(id, 'check')),
      {
        resolver: registry,
        limitsFor: (n) => registry.limitsFor(n),
        clock,
      },
    );
    await clock.runAll();
    await running;
    expect(starts).toEqual([0, 0, 1_000, 1_000, 2_000]);
  });
});
