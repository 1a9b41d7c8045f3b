import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryIdentityStore } from '@orchester/core';
import {
  ConnectorRegistry,
  loadConfig,
  type MembershipJob,
  runJobsInline,
} from '@orchester/runtime';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { TRELLO_LIMITS } from './config.js';
import { TRELLO_JOB_LIMITS, trelloConnector } from './connector.js';
import {
  demoState,
  nextId,
  SANDBOX_KEY,
  SANDBOX_TOKEN,
  type TrelloSandboxState,
  trelloEmulator,
} from './sandbox/index.js';
import { specViolations } from './test-support/spec-check.js';

/**
 * Trello counts on 10-second windows; a 300-job batch at the real rate would take about two
 * minutes. Both sides are scaled by the same factor instead: the emulator's window is 10 s / 20
 * = 500 ms, and the job rate is the connector's default count per 500 ms. Requests per window,
 * the quantity the limit is about, stay exactly as in production.
 */
const SCALE = 20;
const WINDOW_MS = TRELLO_LIMITS.windowMs / SCALE;

let emulator: RunningEmulator<TrelloSandboxState> | undefined;
let dir: string | undefined;
afterEach(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The demo workspace plus `members` more normal members and `outsiders` accounts outside it. */
function bigState(members: number, outsiders: number, windowMs = WINDOW_MS): TrelloSandboxState {
  const state = demoState({ limits: { windowMs } });
  const acme = state.organizations[0]!;
  const person = (prefix: string, i: number) => {
    const id = nextId(state);
    const username = `${prefix}${String(i).padStart(3, '0')}`;
    state.accounts.push({
      id,
      username,
      fullName: username,
      email: `${username}@acme.example`,
      confirmed: true,
      memberType: 'normal',
    });
    return id;
  };
  for (let i = 0; i < members; i++) {
    acme.memberships.push({
      id: nextId(state),
      idMember: person('member', i),
      memberType: 'normal',
      unconfirmed: false,
      deactivated: false,
    });
  }
  for (let i = 0; i < outsiders; i++) person('outsider', i);
  return state;
}

/** A registry over a real config file, as the CLI builds it; `limits` as a person would write them. */
function registryFor(url: string, limits: Record<string, unknown>): ConnectorRegistry {
  dir = mkdtempSync(join(tmpdir(), 'orchester-trello-batch-'));
  const file = join(dir, '.orchester.json');
  const block = {
    type: 'trello',
    base_url: url,
    organization: 'acme',
    api_key: SANDBOX_KEY,
    token: SANDBOX_TOKEN,
    limits,
  };
  writeFileSync(file, JSON.stringify({ connectors: { trello: block } }), { mode: 0o600 });
  return new ConnectorRegistry({
    packages: [],
    config: loadConfig({ explicitPath: file }),
    connectors: [trelloConnector],
    identities: new MemoryIdentityStore(),
  });
}

const job = (
  action: MembershipJob['action'],
  identifier: string,
  batchId: string,
): MembershipJob => ({
  instance: 'trello',
  action,
  identifier,
  options: {},
  batchId,
});

/** The most requests one token made in one window, read from the emulator's own remaining counts. */
function peakTokenRequests(e: RunningEmulator<TrelloSandboxState>): number {
  const remaining = e.requests
    .map((r) => Number(r.responseHeaders['x-rate-limit-api-token-remaining']))
    .filter((n) => Number.isFinite(n));
  return TRELLO_LIMITS.perToken - Math.min(...remaining);
}

describe('a 300-job batch run inline', () => {
  it('stays under the per-token limit at the default job rate: no 429 at all', async () => {
    emulator = await trelloEmulator.start({ state: bigState(200, 50) });
    const registry = registryFor(emulator.url, {
      concurrency: TRELLO_JOB_LIMITS.concurrency,
      rate: {
        max: TRELLO_JOB_LIMITS.rate.max,
        duration_ms: TRELLO_JOB_LIMITS.rate.durationMs / SCALE,
      },
    });
    const jobs = [
      // 2 requests each: memberships, the write (which takes the username).
      ...Array.from({ length: 50 }, (_, i) =>
        job('add', `outsider${String(i).padStart(3, '0')}`, 'b1'),
      ),
      // 2 each: memberships, the invitation.
      ...Array.from({ length: 50 }, (_, i) => job('add', `new${i}@example.org`, 'b1')),
      // 1 each.
      ...Array.from({ length: 100 }, (_, i) =>
        job('check', `member${String(i).padStart(3, '0')}`, 'b1'),
      ),
      // 2 each: memberships, the delete.
      ...Array.from({ length: 100 }, (_, i) =>
        job('remove', `member${String(100 + i).padStart(3, '0')}`, 'b1'),
      ),
    ];
    const started = Date.now();
    const report = await runJobsInline('b1', jobs, {
      resolver: registry,
      limitsFor: (i) => registry.limitsFor(i),
    });
    const elapsed = Date.now() - started;
    await registry.close();

    expect(report.totals).toMatchObject({ jobs: 300, succeeded: 300, failed: 0 });
    expect(report.jobs.filter((j) => j.attempts !== 1)).toEqual([]);
    const outcomes = new Map<string, number>();
    for (const j of report.jobs)
      outcomes.set(j.outcome ?? j.state ?? '', (outcomes.get(j.outcome ?? j.state ?? '') ?? 0) + 1);
    expect(Object.fromEntries(outcomes)).toEqual({
      added: 50,
      invited: 50,
      member: 100,
      removed: 100,
    });

    expect(emulator.requests.length).toBe(50 * 2 + 50 * 2 + 100 + 100 * 2);
    expect(emulator.requests.filter((r) => r.status === 429)).toEqual([]);
    // The batch did push, never past the bound of 90 the defaults are built on; the lower bound
    // is loose so that a slow machine still passes.
    const peak = peakTokenRequests(emulator);
    expect(peak).toBeGreaterThan(40);
    expect(peak).toBeLessThanOrEqual(90);
    // 300 jobs at 40 per window need at least 7 windows after the first.
    expect(elapsed).toBeGreaterThanOrEqual(7 * WINDOW_MS);
    expect(specViolations(emulator.requests)).toEqual([]);
  });

  it('a 1,000-row batch never touches /1/members/, which Trello limits to 100 per 900 s', async () => {
    // Token and key windows out of the way; the /1/members/ limit as Trello publishes it.
    const state = bigState(300, 400, 10_000);
    Object.assign(state.limits, { perToken: 1_000_000, perKey: 1_000_000 });
    emulator = await trelloEmulator.start({ state });
    const registry = registryFor(emulator.url, {
      concurrency: 20,
      rate: { max: 100_000, duration_ms: 1_000 },
    });
    const pad = (i: number) => String(i).padStart(3, '0');
    // Removals first keep the workspace, which every job reads, small enough for a quick test.
    const jobs = [
      ...Array.from({ length: 300 }, (_, i) => job('remove', `member${pad(i)}`, 'b3')),
      ...Array.from({ length: 400 }, (_, i) => job('add', `outsider${pad(i)}`, 'b3')),
      ...Array.from({ length: 300 }, (_, i) => job('add', `new${i}@example.org`, 'b3')),
    ];
    const report = await runJobsInline('b3', jobs, {
      resolver: registry,
      limitsFor: (i) => registry.limitsFor(i),
    });
    await registry.close();
    expect(report.totals).toMatchObject({
      jobs: 1_000,
      succeeded: 1_000,
      byResult: { added: 400, invited: 300, removed: 300 },
    });
    expect(emulator.requests.filter((r) => r.route === '/1/members/:id')).toEqual([]);
    expect(emulator.requests.filter((r) => r.status === 429)).toEqual([]);
    // One read and one write a job; a loaded machine may repeat a read whose answer came late,
    // never a change: each person changed once.
    const changes = emulator.requests.filter((r) => r.method !== 'GET' && r.status < 300);
    expect(changes).toHaveLength(1_000);
    expect(emulator.requests.length).toBeGreaterThanOrEqual(2_000);
    expect(emulator.requests.length).toBeLessThan(2_050);
  });

  it('without the job rate it hits 429s, and every job still succeeds after waiting out the window', async () => {
    // A 2 s window here, so that 200 unthrottled checks surely overflow one window even on a slow machine.
    const windowMs = 2_000;
    emulator = await trelloEmulator.start({ state: bigState(200, 0, windowMs) });
    // A config cannot drop the connector's rate, only replace it: this one holds nothing back.
    const registry = registryFor(emulator.url, {
      concurrency: 25,
      rate: { max: 100_000, duration_ms: windowMs },
    });
    const jobs = Array.from({ length: 200 }, (_, i) =>
      job('check', `member${String(i).padStart(3, '0')}`, 'b2'),
    );
    const waits: number[] = [];
    const report = await runJobsInline('b2', jobs, {
      resolver: registry,
      limitsFor: (i) => registry.limitsFor(i),
      onAttemptFailed: (_job, error, decision) => {
        expect(error.code).toBe('ORCH_RATE_LIMITED');
        if (decision.action === 'retry') waits.push(decision.delayMs);
      },
    });
    await registry.close();
    expect(report.totals).toMatchObject({ jobs: 200, succeeded: 200, failed: 0 });
    const refused = emulator.requests.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.responseBody).toEqual({
      error: 'API_TOKEN_LIMIT_EXCEEDED',
      message: 'Rate limit exceeded',
    });
    // The wait is the window Trello announced in x-rate-limit-api-token-interval-ms.
    expect(new Set(waits)).toEqual(new Set([windowMs]));
    expect(specViolations(emulator.requests)).toEqual([]);
  });
});
