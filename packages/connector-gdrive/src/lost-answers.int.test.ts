import {
  DEFAULT_RETRY_POLICY,
  type InstanceResolver,
  type MembershipJob,
  runJobsInline,
} from '@orchester/runtime';
import { afterAll, beforeEach, expect, it } from 'vitest';
import {
  connect,
  type Drive,
  oauthBlock,
  oauthDir,
  specViolations,
  startDrive,
} from '../test/harness.js';
import { gdriveConnector } from './connector.js';

// Drive carries out 30% of requests and then drops the connection: the change happened, the
// answer was lost. Every job must still report orchester's change, and no write goes out twice.
const drive: Drive = await startDrive('empty');
afterAll(() => drive.close());
beforeEach(() => drive.reset('empty'));

const people = Array.from(
  { length: 40 },
  (_, i) => `lost${String(i).padStart(2, '0')}@example.com`,
);
const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 5 };
const folder = () => drive.state.items.get('folder-empty')!;
const jobsOf = (action: 'add' | 'remove'): MembershipJob[] =>
  people.map((identifier) => ({
    instance: 'drive-test',
    action,
    identifier,
    options: {},
    batchId: `b-lost-${action}`,
  }));
/** The writes that reached Drive, per person: every one was carried out, answered or not. */
const writesPer = (method: string) => {
  const out = new Map<string, number>();
  for (const r of drive.requests) {
    if (r.method !== method || !r.route?.includes('/permissions')) continue;
    const who =
      method === 'POST'
        ? (r.requestBody as { emailAddress: string }).emailAddress
        : r.path.split('/').pop();
    out.set(String(who), (out.get(String(who)) ?? 0) + 1);
  }
  return out;
};

it('adds and removals whose answers Drive drops are each reported as orchester’s change, sent once', async () => {
  const gd = await connect(drive, oauthBlock('folder-empty'), await oauthDir());
  const resolver: InstanceResolver = {
    connectorOf: async () => gdriveConnector,
    instance: async () => gd,
  };
  await gd.check('warm@example.com');
  drive.setFaults({ dropAfterRate: 0.3, seed: 11, pathPattern: '^/drive/' });

  const added = await runJobsInline('b-lost-add', jobsOf('add'), {
    resolver,
    limitsFor: async () => ({ concurrency: 4 }),
    policy,
  });
  expect(added.totals).toMatchObject({ succeeded: 40, failed: 0 });
  expect(new Set(added.jobs.map((j) => j.outcome))).toEqual(new Set(['added']));
  expect(added.jobs.filter((j) => j.confirmedOnRetry).length).toBeGreaterThan(0);
  expect(
    folder()
      .permissions.filter((p) => p.emailAddress?.startsWith('lost'))
      .map((p) => p.emailAddress)
      .sort(),
  ).toEqual(people);
  const shares = writesPer('POST');
  expect(people.map((p) => shares.get(p))).toEqual(people.map(() => 1));

  const removed = await runJobsInline('b-lost-remove', jobsOf('remove'), {
    resolver,
    limitsFor: async () => ({ concurrency: 4 }),
    policy,
  });
  expect(removed.totals).toMatchObject({ succeeded: 40, failed: 0 });
  expect(new Set(removed.jobs.map((j) => j.outcome))).toEqual(new Set(['removed']));
  expect(removed.jobs.filter((j) => j.confirmedOnRetry).length).toBeGreaterThan(0);
  expect(folder().permissions.filter((p) => p.emailAddress?.startsWith('lost'))).toEqual([]);
  const deletes = writesPer('DELETE');
  expect([...deletes.values()].every((n) => n === 1)).toBe(true);
  expect(deletes.size).toBe(40);
  // Some answers really were lost, on writes and on reads.
  expect(drive.requests.filter((r) => r.fault === 'drop-after').length).toBeGreaterThan(20);
  expect(await specViolations(drive)).toEqual([]);
});
