import { generateKeyPairSync } from 'node:crypto';
import { AuthenticationError, ConfigError, type OrchesterError } from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Captured,
  connect,
  type Drive,
  seedSecrets,
  serviceAccountFile,
  specViolations,
  startDrive,
  tempDir,
  writeJson,
} from '../test/harness.js';
import { GOOGLE_TOKEN_AUDIENCE, SANDBOX_OWNER, SANDBOX_SERVICE_ACCOUNT } from './sandbox/index.js';

const drive: Drive = await startDrive();
let captured: Captured;
let dir: string;
afterAll(() => drive.close());
beforeEach(async () => {
  drive.reset('demo');
  captured = { logs: [], calls: [] };
  dir = await tempDir();
  await writeJson(dir, 'sa.json', serviceAccountFile(drive.state));
});

const caught = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as OrchesterError,
  );

describe('a service account', () => {
  it('acts as the subject through domain-wide delegation, with a signed JWT at the token endpoint', async () => {
    const gd = await connect(
      drive,
      { file_id: 'folder-team', service_account_path: 'sa.json', subject: SANDBOX_OWNER },
      dir,
      captured,
    );
    expect(await gd.add('new@example.com', { role: 'writer' }, directAttempt())).toEqual({
      outcome: 'added',
      role: 'writer',
    });
    expect(await gd.remove('new@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'removed',
    });
    // One token request, then Drive calls with the issued token (acting as the subject).
    expect(captured.calls[0]).toMatchObject({ method: 'POST', route: '/token', status: 200 });
    expect(captured.calls.filter((c) => c.route === '/token').length).toBe(1);
    expect([...drive.state.accessTokens.values()].map((t) => t.subject)).toEqual([SANDBOX_OWNER]);
    expect(await specViolations(drive)).toEqual([]);
    const seen = JSON.stringify(captured);
    for (const secret of seedSecrets(drive.state)) expect(seen).not.toContain(secret);
  });

  it('is recognised in credential_path too (type service_account)', async () => {
    const gd = await connect(
      drive,
      { file_id: 'folder-team', credential_path: 'sa.json', subject: SANDBOX_OWNER },
      dir,
      captured,
    );
    expect(await gd.check('ada@example.com')).toEqual({ state: 'member', role: 'writer' });
  });

  it('without subject acts as itself: an item not shared with it is a config error naming file_id', async () => {
    const gd = await connect(
      drive,
      { file_id: 'file-plan', service_account_path: 'sa.json' },
      dir,
      captured,
    );
    const error = await caught(gd.check('linus@example.com'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('file_id "file-plan"');
    expect(error.message).toContain('service account');
    // Shared with the account itself, it works.
    drive.state.items.get('file-plan')!.permissions.push({
      id: 'sa',
      type: 'user',
      role: 'writer',
      emailAddress: SANDBOX_SERVICE_ACCOUNT,
    });
    expect(await gd.check('linus@example.com')).toMatchObject({ state: 'member' });
  });

  it('a key the account does not have is refused at the token endpoint: authentication error', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await writeJson(dir, 'sa.json', { ...serviceAccountFile(drive.state), private_key: other });
    const gd = await connect(
      drive,
      { file_id: 'folder-team', service_account_path: 'sa.json', subject: SANDBOX_OWNER },
      dir,
      captured,
    );
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('Invalid JWT Signature');
    expect(JSON.stringify(error.toJSON())).not.toContain(other.split('\n')[1]!);
    expect(drive.requests.filter((r) => r.path === '/token').length).toBe(1);
  });

  it('delegation that the Workspace admin did not allow is an authentication error', async () => {
    drive.state.serviceAccounts[0]!.delegation = false;
    const gd = await connect(
      drive,
      { file_id: 'folder-team', service_account_path: 'sa.json', subject: SANDBOX_OWNER },
      dir,
      captured,
    );
    const error = await caught(gd.check('ada@example.com'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('unauthorized_client');
  });

  it('states the audience Google checks in the assertion', () => {
    expect(GOOGLE_TOKEN_AUDIENCE).toBe('https://oauth2.googleapis.com/token');
  });

  it('a missing or wrong key file is a config error naming the key', async () => {
    const missing = await caught(
      connect(drive, { file_id: 'f', service_account_path: 'nope.json' }, dir),
    );
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toMatch(/^service_account_path: cannot read .*nope\.json/);
    await writeJson(dir, 'bad.json', { type: 'service_account' });
    const bad = await caught(
      connect(drive, { file_id: 'f', service_account_path: 'bad.json' }, dir),
    );
    expect(bad.message).toContain('client_email and private_key missing');
  });
});
