import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AuthenticationError,
  ConfigError,
  ConflictError,
  type OrchesterError,
  PermissionError,
  RateLimitedError,
  RejectedError,
  TransientError,
  UnsupportedError,
} from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Captured,
  connect,
  type Drive,
  oauthBlock,
  oauthDir,
  readJsonFile,
  seedSecrets,
  specViolations,
  startDrive,
  storedToken,
} from '../test/harness.js';
import { DEFAULT_RATE_LIMIT_WAIT_MS } from './errors.js';
import {
  addManyReaders,
  expireAccessTokens,
  SANDBOX_REFRESH_TOKEN,
  setQuotas,
} from './sandbox/index.js';
import { user } from './sandbox/state.js';

const drive: Drive = await startDrive();
let captured: Captured;
let dir: string;
const errors: unknown[] = [];

afterAll(() => drive.close());
beforeEach(async () => {
  drive.reset('demo');
  drive.setFaults({});
  captured = { logs: [], calls: [] };
  dir = await oauthDir();
});
afterEach(async () => {
  // Every answer the SDK got agrees with Drive's description, and each request was reported once.
  expect(await specViolations(drive)).toEqual([]);
  expect(captured.calls.length).toBe(drive.requests.length);
  // No secret in logs, reported calls, errors or the emulator's request log.
  const seen = JSON.stringify([
    captured,
    errors.map((e) => [String(e), (e as OrchesterError).toJSON?.()]),
    drive.requests,
  ]);
  for (const secret of seedSecrets(drive.state)) expect(seen).not.toContain(secret);
  errors.length = 0;
});

const open = (fileId: string, extra: Record<string, unknown> = {}) =>
  connect(drive, oauthBlock(fileId, extra), dir, captured);
const caught = async (p: Promise<unknown>): Promise<OrchesterError> => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  errors.push(error);
  return error as OrchesterError;
};
const aclOf = (id: string) => drive.state.items.get(id)!.permissions;
/** The display name Drive shows for a person on an item, if any. */
const nameOn = (id: string, email: string) =>
  aclOf(id).find((p) => p.emailAddress === email)?.displayName;
const fromConfig = {};

describe('a folder, with OAuth', () => {
  it('checks people by e-mail, case-insensitively, and answers their role', async () => {
    const gd = await open('folder-team');
    expect(await gd.check('ada@example.com')).toEqual({ state: 'member', role: 'writer' });
    expect(await gd.check('ADA@Example.com'.toLowerCase())).toEqual({
      state: 'member',
      role: 'writer',
    });
    expect(await gd.check('nobody@example.com')).toEqual({ state: 'absent' });
  });

  it('skips anyone and domain permissions in check and list', async () => {
    const gd = await open('folder-team');
    expect(aclOf('folder-team').map((p) => p.type)).toEqual(
      expect.arrayContaining(['anyone', 'domain']),
    );
    // The domain permission is for example.com: that does not make a stranger of the domain a member.
    expect(await gd.check('stranger@example.com')).toEqual({ state: 'absent' });
    const listed = [];
    for await (const m of gd.list!()) listed.push(m);
    // Each with the display name Drive shows (asked for in `fields`).
    const name = (email: string) => nameOn('folder-team', email);
    expect(listed).toEqual([
      {
        identifier: 'owner@example.com',
        state: 'member',
        role: 'owner',
        name: name('owner@example.com'),
        protected: 'owns the item; Drive never takes access from its owner',
      },
      {
        identifier: 'ada@example.com',
        state: 'member',
        role: 'writer',
        name: name('ada@example.com'),
      },
      {
        identifier: 'grace@example.com',
        state: 'member',
        role: 'reader',
        name: name('grace@example.com'),
      },
    ]);
    expect(listed.every((m) => m.name)).toBe(true);
  });

  it('adds with the configured role, then answers already-member', async () => {
    const gd = await open('folder-team', { role: 'commenter' });
    expect(await gd.add('new@example.com', fromConfig, directAttempt())).toEqual({
      outcome: 'added',
      role: 'commenter',
    });
    expect(aclOf('folder-team').find((p) => p.emailAddress === 'new@example.com')).toMatchObject({
      type: 'user',
      role: 'commenter',
    });
    expect(await gd.add('new@example.com', fromConfig, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'commenter',
    });
    expect(
      drive.requests.filter((r) => r.method === 'POST' && r.route?.startsWith('/drive')).length,
    ).toBe(1);
    // No notification e-mail unless configured.
    expect(
      drive.requests.find((r) => r.method === 'POST' && r.route?.startsWith('/drive'))?.query,
    ).toContain('sendNotificationEmail=false');
  });

  it('keeps the role of someone already there when add names none', async () => {
    const gd = await open('folder-team', { role: 'reader' });
    expect(await gd.add('ada@example.com', fromConfig, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'writer',
    });
    expect(aclOf('folder-team').find((p) => p.emailAddress === 'ada@example.com')?.role).toBe(
      'writer',
    );
    expect(drive.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('changes the role of someone already there, as its own outcome', async () => {
    const gd = await open('folder-team');
    expect(await gd.add('grace@example.com', { role: 'writer' }, directAttempt())).toEqual({
      outcome: 'role-changed',
      role: 'writer',
      detail: 'was reader',
    });
    expect(aclOf('folder-team').find((p) => p.emailAddress === 'grace@example.com')?.role).toBe(
      'writer',
    );
    expect(drive.requests.some((r) => r.method === 'PATCH')).toBe(true);
    expect(await gd.check('grace@example.com')).toEqual({ state: 'member', role: 'writer' });
  });

  it('sends the notification e-mail with a message and an expiration when asked', async () => {
    const gd = await open('folder-team', {
      send_notification_email: true,
      email_message: 'Welcome aboard',
    });
    const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect(
      await gd.add(
        'temp@example.com',
        { role: 'reader', expirationTime: expires },
        directAttempt(),
      ),
    ).toEqual({
      outcome: 'added',
      role: 'reader',
    });
    const post = drive.requests.find((r) => r.method === 'POST' && r.route?.startsWith('/drive'))!;
    expect(post.query).toContain('sendNotificationEmail=true');
    expect(post.query).toContain('emailMessage=Welcome');
    expect(await gd.check('temp@example.com')).toEqual({
      state: 'member',
      role: 'reader',
      detail: `until ${expires}`,
    });
  });

  it('removes people, answers not-member for strangers, and never removes the owner', async () => {
    const gd = await open('folder-team');
    expect(await gd.remove('grace@example.com', {}, directAttempt())).toEqual({
      outcome: 'removed',
      role: 'reader',
    });
    expect(await gd.remove('grace@example.com', {}, directAttempt())).toEqual({
      outcome: 'not-member',
    });
    const error = await caught(gd.remove('owner@example.com', {}, directAttempt()));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toMatch(/owns folder-team.*transfer ownership/);
    expect(aclOf('folder-team').some((p) => p.role === 'owner')).toBe(true);
    expect(drive.requests.filter((r) => r.method === 'DELETE').length).toBe(1);
    // Adding the owner does not demote them.
    expect(await gd.add('owner@example.com', { role: 'reader' }, directAttempt())).toMatchObject({
      outcome: 'already-member',
      role: 'owner',
    });
  });

  it("never removes a shared drive's only organizer, and lists them as protected", async () => {
    const gd = await open('drive-eng');
    drive.clearRequests();
    const error = await caught(gd.remove('owner@example.com', {}, directAttempt()));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toMatch(
      /only organizer of shared drive drive-eng.*someone else an organizer first/,
    );
    expect(drive.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(aclOf('drive-eng').some((p) => p.role === 'organizer')).toBe(true);
    const listed = [];
    for await (const m of gd.list!()) listed.push(m);
    expect(listed.find((m) => m.identifier === 'owner@example.com')?.protected).toMatch(
      /only organizer/,
    );
    // With two organizers, either may go (not the account orchester acts as, here).
    await gd.add('lead@example.com', { role: 'organizer' }, directAttempt());
    expect(await gd.remove('lead@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'removed',
    });
  });

  it("reads a folder's whole ACL in one call, however long", async () => {
    addManyReaders(drive.state, 'folder-team', 250);
    const gd = await open('folder-team');
    expect(await gd.check('person0249@many.example.com')).toEqual({
      state: 'member',
      role: 'reader',
    });
    const lists = drive.requests.filter(
      (r) =>
        r.route === '/drive/v3/files/:fileId/permissions' && r.method === 'GET' && r.status === 200,
    );
    // No pageSize: Drive then answers a My Drive item's entire list.
    expect(lists.map((r) => new URLSearchParams(r.query).has('pageSize'))).toEqual([false]);
    let count = 0;
    for await (const _ of gd.list!()) count += 1;
    expect(count).toBe(253);
  });
});

describe('files and shared drives', () => {
  it('works on a single file', async () => {
    const gd = await open('file-plan');
    expect(await gd.check('linus@example.com')).toEqual({ state: 'member', role: 'commenter' });
    expect(await gd.add('linus@example.com', { role: 'writer' }, directAttempt())).toMatchObject({
      outcome: 'role-changed',
      role: 'writer',
    });
  });

  it("reads a shared drive's members 100 a page", async () => {
    addManyReaders(drive.state, 'drive-eng', 250);
    const gd = await open('drive-eng');
    expect(await gd.check('person0249@many.example.com')).toMatchObject({ state: 'member' });
    const lists = drive.requests.filter(
      (r) =>
        r.route === '/drive/v3/files/:fileId/permissions' && r.method === 'GET' && r.status === 200,
    );
    expect(lists.map((r) => new URLSearchParams(r.query).has('pageToken'))).toEqual([
      false,
      true,
      true,
    ]);
    let count = 0;
    for await (const _ of gd.list!()) count += 1;
    expect(count).toBe(252);
  });

  it('works on a shared drive, sending supportsAllDrives on every call', async () => {
    const gd = await open('drive-eng');
    expect(await gd.check('ken@example.com')).toEqual({ state: 'member', role: 'writer' });
    expect(await gd.add('lead@example.com', { role: 'organizer' }, directAttempt())).toEqual({
      outcome: 'added',
      role: 'organizer',
    });
    expect(
      await gd.add('ken@example.com', { role: 'fileOrganizer' }, directAttempt()),
    ).toMatchObject({
      outcome: 'role-changed',
    });
    expect(await gd.remove('ken@example.com', {}, directAttempt())).toEqual({
      outcome: 'removed',
      role: 'fileOrganizer',
    });
    const driveCalls = drive.requests.filter((r) => r.path.startsWith('/drive/v3/'));
    expect(driveCalls.length).toBeGreaterThan(5);
    expect(driveCalls.every((r) => r.query.includes('supportsAllDrives=true'))).toBe(true);
  });

  it('refuses to remove access a folder inherits from its shared drive, naming the drive', async () => {
    const gd = await open('folder-in-drive');
    expect(await gd.check('owner@example.com')).toMatchObject({
      state: 'member',
      detail: 'through shared drive drive-eng',
    });
    const error = await caught(gd.remove('owner@example.com', {}, directAttempt()));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toContain('drive-eng');
  });

  it('widens inherited access on an item, but never narrows it', async () => {
    drive.state.items.get('drive-eng')!.permissions.push(user('rita@example.com', 'reader'));
    const gd = await open('folder-in-drive');
    expect(await gd.add('rita@example.com', { role: 'reader' }, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'reader',
      detail: 'through shared drive drive-eng',
    });
    // More than the drive gives: the folder gets a permission of its own.
    expect(await gd.add('rita@example.com', { role: 'writer' }, directAttempt())).toEqual({
      outcome: 'role-changed',
      role: 'writer',
      detail: 'was reader through shared drive drive-eng',
    });
    expect(aclOf('folder-in-drive')).toContainEqual(
      expect.objectContaining({ emailAddress: 'rita@example.com', role: 'writer' }),
    );
    // Less than the drive gives cannot be done on the item.
    const error = await caught(gd.add('owner@example.com', { role: 'reader' }, directAttempt()));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toMatch(
      /organizer access to folder-in-drive through shared drive drive-eng/,
    );
  });

  it('refuses to remove someone whose access also comes from the shared drive, sending nothing', async () => {
    const gd = await open('folder-in-drive');
    expect(await gd.check('ken@example.com')).toEqual({
      state: 'member',
      role: 'fileOrganizer',
      detail: 'also through shared drive drive-eng (writer)',
    });
    const error = await caught(gd.remove('ken@example.com', {}, directAttempt()));
    expect(error).toBeInstanceOf(UnsupportedError);
    expect(error.message).toMatch(/also through shared drive drive-eng \(writer\)/);
    expect(drive.requests.some((r) => r.method === 'DELETE')).toBe(false);
    expect(aclOf('folder-in-drive').map((p) => p.emailAddress)).toEqual(['ken@example.com']);
  });

  it('someone whose Google account was deleted is deactivated', async () => {
    aclOf('folder-team').push(user('gone@example.com', 'reader', { deleted: true }));
    const gd = await open('folder-team');
    expect(await gd.check('gone@example.com')).toEqual({ state: 'deactivated', role: 'reader' });
    const listed = [];
    for await (const m of gd.list!()) listed.push(m);
    expect(listed).toContainEqual({
      identifier: 'gone@example.com',
      state: 'deactivated',
      role: 'reader',
      name: nameOn('folder-team', 'gone@example.com'),
    });
  });

  it('says when someone has been asked to become the owner', async () => {
    const gd = await open('file-plan');
    expect(await gd.check('margaret@example.com')).toEqual({
      state: 'member',
      role: 'writer',
      detail: 'asked to become the owner',
    });
  });
});

describe('errors', () => {
  it('a file_id that does not exist is a config error naming file_id', async () => {
    const gd = await open('no-such-folder');
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.category).toBe('input');
    expect(error.message).toContain('file_id "no-such-folder"');
  });

  it('403 userRateLimitExceeded is rate limited', async () => {
    setQuotas(drive.state, { userRequests: 1 });
    const gd = await open('folder-team');
    await gd.check('ada@example.com');
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(DEFAULT_RATE_LIMIT_WAIT_MS);
    expect(error.details).toMatchObject({ status: 403, reason: 'userRateLimitExceeded' });
  });

  it('403 rateLimitExceeded (project) is rate limited', async () => {
    setQuotas(drive.state, { projectRequests: 0 });
    const gd = await open('folder-team');
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.details).toMatchObject({ reason: 'rateLimitExceeded' });
  });

  it('403 sharingRateLimitExceeded is rate limited', async () => {
    setQuotas(drive.state, { userShares: 0 });
    const gd = await open('folder-team');
    const error = await caught(gd.add('new@example.com', { role: 'reader' }, directAttempt()));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.details).toMatchObject({ reason: 'sharingRateLimitExceeded' });
  });

  it('429 is rate limited with the Retry-After asked for, and not retried by gaxios', async () => {
    drive.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7, pathPattern: '^/drive/' });
    const gd = await open('folder-team');
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    expect(drive.requests.filter((r) => r.path.startsWith('/drive/')).length).toBe(1);
  });

  it('5xx backendError is transient, and not retried by gaxios', async () => {
    drive.setFaults({ errorRate: 1, errorStatus: 503, pathPattern: '^/drive/' });
    const gd = await open('folder-team');
    const error = await caught(gd.remove('ada@example.com', {}, directAttempt()));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.details).toMatchObject({ status: 503, reason: 'backendError' });
    expect(drive.requests.filter((r) => r.path.startsWith('/drive/')).length).toBe(1);
  });

  it('a request that outlasts timeout_ms is transient', async () => {
    drive.setFaults({ timeoutRate: 1, timeoutMs: 5_000, pathPattern: '^/drive/' });
    const gd = await open('folder-team', { timeout_ms: 1_000 });
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toContain('did not answer within 1000 ms');
  });

  it('400 invalidSharingRequest is permanent and carries Google message', async () => {
    const gd = await open('folder-team');
    const error = await caught(
      gd.add('no-account@elsewhere.test', { role: 'reader' }, directAttempt()),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(
      'there is no Google account associated with this email address',
    );
  });

  it('a share Drive made without delivering its notification e-mail is added, and says so', async () => {
    const gd = await open('folder-team', { send_notification_email: true });
    expect(await gd.add('bounces@elsewhere.test', { role: 'reader' }, directAttempt())).toEqual({
      outcome: 'added',
      role: 'reader',
      detail: expect.stringMatching(
        /^shared, but Drive could not send the notification e-mail \(.*emails could not be sent to bounces@elsewhere.test/,
      ),
    });
    expect(
      aclOf('folder-team').find((p) => p.emailAddress === 'bounces@elsewhere.test')?.role,
    ).toBe('reader');
  });

  it("a role the item cannot have is Drive's refusal, with Google's message", async () => {
    const gd = await open('folder-team');
    const error = await caught(gd.add('new@example.com', { role: 'organizer' }, directAttempt()));
    // Sent and refused: the service's side (exit 3), not "nothing was sent" (exit 2).
    expect(error).toBeInstanceOf(RejectedError);
    expect(error.category).toBe('service');
    expect(error.message).toContain('only valid on shared drive items');
  });

  it('403 insufficientFilePermissions is a permission error', async () => {
    drive.state.consentUser = 'ada@example.com';
    drive.state.refreshTokens.set(SANDBOX_REFRESH_TOKEN, {
      ...drive.state.refreshTokens.get(SANDBOX_REFRESH_TOKEN)!,
      subject: 'grace@example.com',
    });
    const gd = await open('folder-team');
    const error = await caught(gd.add('new@example.com', { role: 'reader' }, directAttempt()));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.details).toMatchObject({ reason: 'insufficientFilePermissions' });
  });
});

describe('tokens', () => {
  it('a 401 gets one refresh; the new token is written back owner-only', async () => {
    const gd = await open('folder-team');
    expect(await gd.check('ada@example.com')).toMatchObject({ state: 'member' });
    expect(captured.calls.map((c) => `${c.method} ${c.route} ${c.status}`)).toEqual([
      'GET /drive/v3/files/{fileId}/permissions 401',
      'POST /token 200',
      'GET /drive/v3/files/{fileId}/permissions 200',
    ]);
    const path = join(dir, 'token.json');
    const written = await readJsonFile(path);
    expect(written.refresh_token).toBe(SANDBOX_REFRESH_TOKEN);
    expect(drive.state.accessTokens.has(String(written.access_token))).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('an expired token in the file is refreshed before the first call', async () => {
    dir = await oauthDir(storedToken({ expiry_date: Date.now() - 1000 }));
    const gd = await open('folder-team');
    await gd.check('ada@example.com');
    expect(captured.calls.map((c) => c.status)).toEqual([200, 200]);
    expect(captured.calls[0]!.route).toBe('/token');
  });

  it('a token that expires while running is refreshed once more', async () => {
    const gd = await open('folder-team');
    await gd.check('ada@example.com');
    expireAccessTokens(drive.state);
    captured.calls.length = 0;
    drive.clearRequests();
    expect(await gd.check('grace@example.com')).toMatchObject({ state: 'member' });
    expect(captured.calls.map((c) => c.status)).toEqual([401, 200, 200]);
  });

  it('a revoked refresh token is an authentication error', async () => {
    drive.state.refreshTokens.clear();
    const gd = await open('folder-team');
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('orchest generate drive-test');
    expect(error.message).toContain('invalid_grant');
  });

  it('a 401 that survives the refresh is an authentication error', async () => {
    const gd = await open('folder-team');
    await gd.check('ada@example.com');
    drive.state.accessTokenTtlSeconds = 0; // every new token is born expired
    expireAccessTokens(drive.state);
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(AuthenticationError);
    // The second check reads ada@'s permission by the id the first one saw.
    expect(captured.calls.slice(-3).map((c) => `${c.route} ${c.status}`)).toEqual([
      '/drive/v3/files/{fileId}/permissions/{permissionId} 401',
      '/token 200',
      '/drive/v3/files/{fileId}/permissions/{permissionId} 401',
    ]);
  });

  it('client_id, client_secret and refresh_token in config work without files', async () => {
    // The emulator's own config block, as `orchest sandbox` writes it.
    const block = drive.configBlock();
    expect(Object.keys(block).sort()).toEqual([
      'client_id',
      'client_secret',
      'file_id',
      'refresh_token',
    ]);
    const gd = await connect(drive, block, dir, captured);
    expect(await gd.check('ada@example.com')).toMatchObject({ state: 'member' });
  });

  it('a missing token file says to run orchest generate', async () => {
    const error = await caught(open('folder-team', { token_path: 'missing.json' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /token_path: no token at .*missing\.json; run "orchest generate drive-test"/,
    );
  });

  it('a web client file works like an installed one', async () => {
    const { writeJson, clientFile } = await import('../test/harness.js');
    await writeJson(dir, 'client.json', clientFile('web'));
    const gd = await open('folder-team');
    expect(await gd.check('ada@example.com')).toMatchObject({ state: 'member' });
  });
});
