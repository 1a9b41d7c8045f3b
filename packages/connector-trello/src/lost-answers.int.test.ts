import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BatchReport,
  DEFAULT_RETRY_POLICY,
  FileIdentityStore,
  type MembershipJob,
  runJobsInline,
} from '@orchester/runtime';
import { registryFor } from '@orchester/runtime/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { trelloConnector } from './connector.js';
import { demoState, type TrelloSandboxState, trelloEmulator } from './sandbox/index.js';
import { specViolations } from './test-support/spec-check.js';

// The issue's own case: 40 new invitations with 30% of answers lost after Trello made the change.
const EMAILS = Array.from({ length: 40 }, (_, i) => `newcomer${i}@example.org`);
const policy = { ...DEFAULT_RETRY_POLICY, attempts: 30, baseDelayMs: 5, maxDelayMs: 40 };

let emulator: RunningEmulator<TrelloSandboxState> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function run(
  registry: ReturnType<typeof registryFor>,
  action: MembershipJob['action'],
  batchId: string,
): Promise<BatchReport> {
  const jobs = EMAILS.map(
    (identifier): MembershipJob => ({
      instance: 'trello',
      action,
      identifier,
      options: {},
      batchId,
    }),
  );
  return runJobsInline(batchId, jobs, {
    resolver: registry,
    limitsFor: async () => ({ concurrency: 5 }),
    policy,
  });
}

/** Requests Trello carried out (answered 2xx, or answered and then cut off by `drop-after`). */
function carriedOut(method: string, route: string) {
  return emulator!.requests.filter(
    (r) =>
      r.method === method &&
      r.route === route &&
      ((r.status >= 200 && r.status < 300) || r.fault === 'drop-after'),
  );
}

describe('Trello e-mail invitations whose answers are lost', () => {
  it('reports all 40 as invited, records each member, and removes them again by e-mail', async () => {
    const state = demoState();
    Object.assign(state.limits, { perToken: 1_000_000, perKey: 1_000_000 });
    emulator = await trelloEmulator.start({ state });
    const { base_url: _url, ...block } = emulator.configBlock();
    const identities = new FileIdentityStore(
      join(mkdtempSync(join(tmpdir(), 'trello-lost-')), 'identities.json'),
    );
    const registry = registryFor(
      [trelloConnector],
      { trello: { type: 'trello', block, baseUrl: emulator.url } },
      { identities },
    );
    emulator.setFaults({ dropAfterRate: 0.3, seed: 11 });

    const invited = await run(registry, 'add', 'lost-invitations');
    expect(invited.jobs.map((j) => [j.identifier, j.status, j.outcome])).toEqual(
      EMAILS.map((e) => [e, 'succeeded', 'invited']),
    );
    // Answers were lost, and the retries found orchester's own invitation, not "already invited".
    const confirmed = invited.jobs.filter((j) => j.confirmedOnRetry);
    expect(confirmed.length).toBeGreaterThan(3);
    const acme = emulator.state.organizations.find((o) => o.name === 'acme')!;
    const recorded = new Map((await identities.list()).map((e) => [e.email, e.id]));
    for (const email of EMAILS) {
      const accounts = emulator.state.accounts.filter((a) => a.email === email);
      expect(accounts, email).toHaveLength(1);
      expect(
        acme.memberships.filter((m) => m.idMember === accounts[0]!.id),
        email,
      ).toEqual([expect.objectContaining({ unconfirmed: true })]);
      // The member each invitation made, not a pending note.
      expect(recorded.get(email), email).toBe(accounts[0]!.id);
    }
    // Each invitation reached Trello once: a retry settles a lost one from the memberships.
    const sent = carriedOut('PUT', '/1/organizations/:id/members').map((r) =>
      new URLSearchParams(r.query).get('email'),
    );
    expect(sent.sort()).toEqual([...EMAILS].sort());
    expect(emulator.requests.some((r) => r.fault === 'drop-after' && r.method === 'PUT')).toBe(
      true,
    );

    const removed = await run(registry, 'remove', 'lost-removals');
    expect(removed.jobs.map((j) => [j.identifier, j.status, j.outcome])).toEqual(
      EMAILS.map((e) => [e, 'succeeded', 'invitation-cancelled']),
    );
    expect(removed.jobs.filter((j) => j.confirmedOnRetry).length).toBeGreaterThan(3);
    const ids = new Set(recorded.values());
    expect(acme.memberships.filter((m) => ids.has(m.idMember))).toEqual([]);
    const deletes = carriedOut('DELETE', '/1/organizations/:id/members/:idMember');
    expect(deletes.map((r) => r.path.split('/').pop()).sort()).toEqual([...ids].sort());
    await registry.close();
    expect(specViolations(emulator.requests)).toEqual([]);
  });
});
