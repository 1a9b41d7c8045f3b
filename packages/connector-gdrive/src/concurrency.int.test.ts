import { directAttempt } from '@orchester/core/testing';
import { type InstanceResolver, type MembershipJob, runJobsInline } from '@orchester/runtime';
import { afterAll, beforeEach, expect, it } from 'vitest';
import {
  connect,
  type Drive,
  oauthBlock,
  oauthDir,
  rawDrive,
  specViolations,
  startDrive,
  until,
} from '../test/harness.js';
import { gdriveConnector } from './connector.js';
import { holdAclWrites, permissionIdFor, releaseAclWrites } from './sandbox/index.js';

// Drive: "Concurrent permissions operations on the same file aren't supported; only the last
// update is applied." The emulator loses every write that another overtakes.
const drive: Drive = await startDrive('empty');
afterAll(() => drive.close());
beforeEach(() => {
  drive.reset('empty');
  drive.state.aclWriteDelayMs = 15;
});

const folder = () => drive.state.items.get('folder-empty')!;
const roleOf = (email: string) => folder().permissions.find((p) => p.emailAddress === email)?.role;
const hires = (n: number) =>
  Array.from({ length: n }, (_, i) => `hire${String(i).padStart(2, '0')}@example.com`);
const sharedWith = () =>
  folder()
    .permissions.filter((p) => p.emailAddress?.startsWith('hire'))
    .map((p) => p.emailAddress)
    .sort();
const open = async () => connect(drive, oauthBlock('folder-empty'), await oauthDir());
/** Someone else sharing the folder, straight through Drive's API. */
const someoneElse = rawDrive(drive);

it('12 adds at once through one instance: Drive loses all but one, each lost one is sent again, all 12 are added', async () => {
  const gd = await open();
  const people = hires(12);
  holdAclWrites(drive.state);
  const results = Promise.all(people.map((p) => gd.add(p, { role: 'reader' }, directAttempt())));
  await until(() => drive.state.aclWrites.parked.length === 12, 'all 12 shares to reach Drive');
  releaseAclWrites(drive.state);
  expect((await results).map((r) => r.outcome)).toEqual(people.map(() => 'added'));
  // Only the last to arrive of the 12 overlapping shares was applied at first.
  expect(drive.state.aclWrites.lost).toBeGreaterThanOrEqual(11);
  expect(sharedWith()).toEqual(people);
  expect(await specViolations(drive)).toEqual([]);
});

it("a share someone else's overlapping write overtakes is seen lost and sent again", async () => {
  const gd = await open();
  await someoneElse.accessToken();
  await gd.check('warm@example.com');
  holdAclWrites(drive.state);
  const ours = gd.add('new@example.com', { role: 'writer' }, directAttempt());
  await until(() => drive.state.aclWrites.parked.length === 1, "orchester's share to reach Drive");
  const theirs = someoneElse.call('POST', '/files/folder-empty/permissions', {
    type: 'user',
    role: 'reader',
    emailAddress: 'theirs@example.com',
  });
  await until(() => drive.state.aclWrites.parked.length === 2, 'the other share to reach Drive');
  releaseAclWrites(drive.state);
  expect(await ours).toEqual({ outcome: 'added', role: 'writer' });
  expect((await theirs).status).toBe(200);
  expect(drive.state.aclWrites.lost).toBe(1);
  expect([roleOf('new@example.com'), roleOf('theirs@example.com')]).toEqual(['writer', 'reader']);
  // Two shares from orchester: the lost one and the one sent again.
  const shares = drive.requests.filter(
    (r) => r.method === 'POST' && r.route === '/drive/v3/files/:fileId/permissions',
  );
  expect(shares.map((r) => (r.requestBody as { emailAddress: string }).emailAddress)).toEqual([
    'new@example.com',
    'theirs@example.com',
    'new@example.com',
  ]);
});

it('a removal and a role change that someone else overtakes are sent again', async () => {
  const gd = await open();
  for (const p of ['leaver@example.com', 'mover@example.com'])
    await gd.add(p, { role: 'reader' }, directAttempt());
  await someoneElse.accessToken();
  for (const [ours, expected] of [
    [
      () => gd.remove('leaver@example.com', {}, directAttempt()),
      { outcome: 'removed', role: 'reader' },
    ],
    [
      () => gd.add('mover@example.com', { role: 'writer' }, directAttempt()),
      { outcome: 'role-changed', role: 'writer', detail: 'was reader' },
    ],
  ] as const) {
    const lostBefore = drive.state.aclWrites.lost;
    holdAclWrites(drive.state);
    const result = ours();
    await until(
      () => drive.state.aclWrites.parked.length === 1,
      "orchester's write to reach Drive",
    );
    const theirs = someoneElse.call('POST', '/files/folder-empty/permissions', {
      type: 'user',
      role: 'reader',
      emailAddress: `bystander${lostBefore}@example.com`,
    });
    await until(() => drive.state.aclWrites.parked.length === 2, 'the other write to reach Drive');
    releaseAclWrites(drive.state);
    expect(await result).toEqual(expected);
    await theirs;
    expect(drive.state.aclWrites.lost).toBe(lostBefore + 1);
  }
  expect(roleOf('leaver@example.com')).toBeUndefined();
  expect(roleOf('mover@example.com')).toBe('writer');
  expect(await specViolations(drive)).toEqual([]);
});

it("orchester's inline runner serializes writes to the folder: 50 parallel adds, none lost", async () => {
  const gd = await open();
  const resolver: InstanceResolver = {
    connectorOf: async () => gdriveConnector,
    instance: async () => gd,
  };
  const people = hires(50);
  const jobs: MembershipJob[] = people.map((identifier) => ({
    instance: 'drive-test',
    action: 'add',
    identifier,
    options: {},
    batchId: 'b-concurrency',
  }));
  // Concurrency 50: only the connector's serialWrites keeps the writes apart.
  const report = await runJobsInline('b-concurrency', jobs, {
    resolver,
    limitsFor: async () => ({ concurrency: 50 }),
  });
  expect(report.totals).toMatchObject({ succeeded: 50, failed: 0 });
  expect(report.jobs.every((j) => j.outcome === 'added' && j.role === 'reader')).toBe(true);
  expect(drive.state.aclWrites.maxInFlight).toBe(1);
  expect(drive.state.aclWrites.lost).toBe(0);
  expect(sharedWith()).toEqual(people);
  expect(
    folder().permissions.find((p) => p.id === permissionIdFor('hire00@example.com')),
  ).toBeDefined();
  expect(await specViolations(drive)).toEqual([]);
});
