import { afterAll, beforeEach, expect, it } from 'vitest';
import { type Drive, rawDrive, specViolations, startDrive, until } from '../../test/harness.js';
import { holdAclWrites, landHeldAclWrite, permissionIdFor, releaseAclWrites } from './index.js';

// Drive: "Concurrent permissions operations on the same file aren't supported; only the last
// update is applied." (permissions.create, .update and .delete reference pages)
const drive: Drive = await startDrive('empty');
const api = rawDrive(drive);
afterAll(() => drive.close());
beforeEach(() => {
  drive.reset('empty');
  releaseAclWrites(drive.state);
});

const share = (email: string) =>
  api.call('POST', '/files/folder-empty/permissions?sendNotificationEmail=false', {
    type: 'user',
    role: 'reader',
    emailAddress: email,
  });
const permissionOf = (email: string) =>
  api.call('GET', `/files/folder-empty/permissions/${permissionIdFor(email)}`);
const parked = () => drive.state.aclWrites.parked.length;

it('of two overlapping writes only the last applies, and a read after the first answer already shows it', async () => {
  await api.accessToken();
  holdAclWrites(drive.state);
  const first = share('first@example.com');
  await until(() => parked() === 1, 'the first write to arrive');
  const second = share('second@example.com');
  await until(() => parked() === 2, 'the second write to arrive');

  landHeldAclWrite(drive.state);
  // Drive answers the overtaken write as a success...
  expect((await first).status).toBe(200);
  // ...and a read made after that answer is final: the write was lost, and stays lost.
  expect((await permissionOf('first@example.com')).status).toBe(404);

  landHeldAclWrite(drive.state);
  expect((await second).status).toBe(200);
  expect((await permissionOf('second@example.com')).status).toBe(200);
  expect((await permissionOf('first@example.com')).status).toBe(404);
  expect(await specViolations(drive)).toEqual([]);
});

it('a write that landed before another one arrived is never undone by it', async () => {
  await api.accessToken();
  expect((await share('early@example.com')).status).toBe(200);
  holdAclWrites(drive.state);
  const later = share('later@example.com');
  await until(() => parked() === 1, 'the later write to arrive');
  releaseAclWrites(drive.state);
  expect((await later).status).toBe(200);
  expect((await permissionOf('early@example.com')).status).toBe(200);
  expect((await permissionOf('later@example.com')).status).toBe(200);
});
