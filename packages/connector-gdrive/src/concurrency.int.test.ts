import { type InstanceResolver, type MembershipJob, runJobsInline } from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
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

const drive: Drive = await startDrive('empty');
afterAll(() => drive.close());
beforeEach(() => {
  drive.reset('empty');
  // Each permission write reads the ACL, waits 15 ms and writes it back: overlaps lose updates.
  drive.state.aclWriteDelayMs = 15;
});

const people = Array.from(
  { length: 50 },
  (_, i) => `hire${String(i).padStart(2, '0')}@example.com`,
);
const sharedWith = () =>
  drive.state.items
    .get('folder-empty')!
    .permissions.filter((p) => p.emailAddress?.startsWith('hire'))
    .map((p) => p.emailAddress);

it('the emulator shows the hazard: 50 overlapping adds to one folder lose updates', async () => {
  const gd = await connect(drive, oauthBlock('folder-empty'), await oauthDir());
  const results = await Promise.all(
    people.map((p) => gd.add(p, { role: 'reader' }, directAttempt())),
  );
  // Drive answered every create with success...
  expect(results.every((r) => r.outcome === 'added')).toBe(true);
  // ...and yet most of them were overwritten by a concurrent write.
  expect(drive.state.aclWrites.maxInFlight).toBeGreaterThan(1);
  expect(sharedWith().length).toBeLessThan(people.length);
});

it("orchester's inline runner serializes writes to the folder: 50 parallel adds, none lost", async () => {
  const gd = await connect(drive, oauthBlock('folder-empty'), await oauthDir());
  const resolver: InstanceResolver = {
    connectorOf: async () => gdriveConnector,
    instance: async () => gd,
  };
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
  expect(sharedWith().sort()).toEqual(people);
  expect(await specViolations(drive)).toEqual([]);
});
