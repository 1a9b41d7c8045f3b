import { type Clock, systemClock } from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  connect,
  type Drive,
  oauthBlock,
  oauthDir,
  rawDrive,
  specViolations,
  startDrive,
} from '../test/harness.js';
import { VIEW_MAX_AGE_MS } from './acl-view.js';
import { addManyReaders, permissionIdFor } from './sandbox/index.js';

// What each change costs in Drive calls, and what the instance's last read of the ACL may be
// trusted for. Token requests, and the 401 that asks for the first one, are left out.
const drive: Drive = await startDrive('empty');
afterAll(() => drive.close());
beforeEach(() => {
  drive.reset('empty');
  drive.setFaults({});
  addManyReaders(drive.state, 'folder-empty', 320);
});

/** A clock the test moves by hand. */
function handClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return {
    now: () => systemClock.now() + offset,
    sleep: systemClock.sleep,
    advance: (ms) => {
      offset += ms;
    },
  };
}
const open = async (fileId = 'folder-empty', clock: Clock = systemClock) =>
  connect(drive, oauthBlock(fileId), await oauthDir(), undefined, undefined, clock);
/** The Drive calls made by `step`, as `METHOD route`. */
async function callsOf(step: () => Promise<unknown>): Promise<string[]> {
  drive.clearRequests();
  await step();
  return drive.requests
    .filter((r) => r.path.startsWith('/drive/') && r.status !== 401)
    .map((r) => `${r.method} ${r.route?.replace('/drive/v3/files/:fileId', '')}`);
}
const LIST = 'GET /permissions';
const ONE = 'GET /permissions/:permissionId';
const SHARE = 'POST /permissions';

describe('on a folder (the whole ACL is one call)', () => {
  it('each new person costs a share and one read-back, after one first read', async () => {
    const gd = await open();
    const add = (email: string) => () => gd.add(email, { role: 'reader' }, directAttempt());
    expect(await callsOf(add('new1@example.com'))).toEqual([LIST, SHARE, LIST]);
    // The read-back was a whole read: it is the next change's starting point.
    expect(await callsOf(add('new2@example.com'))).toEqual([SHARE, LIST]);
    expect(await callsOf(add('new3@example.com'))).toEqual([SHARE, LIST]);
    expect(await specViolations(drive)).toEqual([]);
  });

  it('someone already there costs one read of their permission, by id', async () => {
    const gd = await open();
    await gd.check('person0001@many.example.com');
    const calls = await callsOf(async () =>
      expect(
        await gd.add('person0002@many.example.com', { role: 'reader' }, directAttempt()),
      ).toEqual({
        outcome: 'already-member',
        role: 'reader',
      }),
    );
    expect(calls).toEqual([ONE]);
  });

  it('someone removed since the last read is not-member: the delete finds nothing', async () => {
    const gd = await open();
    await gd.check('person0001@many.example.com');
    await rawDrive(drive).call(
      'DELETE',
      `/files/folder-empty/permissions/${permissionIdFor('person0002@many.example.com')}`,
    );
    expect(await gd.remove('person0002@many.example.com', {}, directAttempt())).toEqual({
      outcome: 'not-member',
    });
  });

  it('a role change costs a read of the permission, the update and one read-back', async () => {
    const gd = await open();
    await gd.check('person0001@many.example.com');
    expect(
      await callsOf(() =>
        gd.add('person0002@many.example.com', { role: 'writer' }, directAttempt()),
      ),
    ).toEqual([ONE, 'PATCH /permissions/:permissionId', LIST]);
  });

  it('a removal costs a delete and one read-back; a stranger costs a whole read', async () => {
    const gd = await open();
    await gd.check('person0001@many.example.com');
    expect(
      await callsOf(() => gd.remove('person0002@many.example.com', {}, directAttempt())),
    ).toEqual(['DELETE /permissions/:permissionId', LIST]);
    // Only a read says someone is not there: the last one is not believed for that.
    expect(await callsOf(() => gd.remove('stranger@example.com', {}, directAttempt()))).toEqual([
      LIST,
    ]);
  });

  it(`an absence older than ${VIEW_MAX_AGE_MS / 1000} s is read again before sharing`, async () => {
    const clock = handClock();
    const gd = await open('folder-empty', clock);
    await gd.check('person0001@many.example.com');
    clock.advance(VIEW_MAX_AGE_MS + 1);
    expect(
      await callsOf(() => gd.add('late@example.com', { role: 'reader' }, directAttempt())),
    ).toEqual([LIST, SHARE, LIST]);
  });

  it('after a share whose answer was lost, the next attempt reads before it shares again', async () => {
    const gd = await open();
    await gd.check('person0001@many.example.com');
    drive.setFaults({
      dropAfterRate: 1,
      pathPattern: '^/drive/v3/files/folder-empty/permissions$',
    });
    await expect(gd.add('unsure@example.com', { role: 'reader' }, directAttempt())).rejects.toThrow(
      /^could not reach Google Drive/,
    );
    drive.setFaults({});
    // Drive made the share; the retry finds it instead of sending it again.
    expect(
      await callsOf(async () =>
        expect(await gd.add('unsure@example.com', { role: 'reader' }, directAttempt())).toEqual({
          outcome: 'already-member',
          role: 'reader',
        }),
      ),
    ).toEqual([LIST]);
  });

  it('someone shared with since the last read, with more access, is a role change, not an add', async () => {
    const gd = await open();
    await gd.check('person0001@many.example.com');
    const someoneElse = rawDrive(drive);
    await someoneElse.call('POST', '/files/folder-empty/permissions', {
      type: 'user',
      role: 'writer',
      emailAddress: 'early@example.com',
    });
    // Drive's share never lowers a role: the read-back shows writer, so orchester lowers it and says so.
    expect(await gd.add('early@example.com', { role: 'reader' }, directAttempt())).toEqual({
      outcome: 'role-changed',
      role: 'reader',
      detail: 'was writer: Drive had shared it with them since orchester last read the item',
    });
    expect(
      drive.state.items
        .get('folder-empty')!
        .permissions.find((p) => p.emailAddress === 'early@example.com')?.role,
    ).toBe('reader');
  });
});

describe('on a shared drive of more than 100 members (a whole read is several calls)', () => {
  it('a write is read back by id', async () => {
    drive.reset('demo');
    addManyReaders(drive.state, 'drive-eng', 320);
    const gd = await open('drive-eng');
    const add = (email: string) => () => gd.add(email, { role: 'reader' }, directAttempt());
    expect(await callsOf(add('new1@example.com'))).toEqual([LIST, LIST, LIST, LIST, SHARE, ONE]);
    expect(await callsOf(add('new2@example.com'))).toEqual([SHARE, ONE]);
    expect(await specViolations(drive)).toEqual([]);
  });
});
