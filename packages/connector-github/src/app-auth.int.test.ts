import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationError, ConfigError } from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addApp, demoState, type GitHubState } from './sandbox/index.js';
import { connect, failure, startGitHub } from './test-support/harness.js';

let gh: RunningEmulator<GitHubState>;
let dir: string;
let apps: GitHubState['apps'];
beforeAll(async () => {
  // RSA keys are costly to make: one App (and one stranger App) for every test.
  const keys = demoState();
  const { privateKey } = addApp(keys, { appId: 4242, installationId: 77, org: 'acme' });
  const other = addApp(keys, { appId: 999, installationId: 1, org: 'other' });
  apps = keys.apps;
  dir = await mkdtemp(join(tmpdir(), 'orchester-gh-app-'));
  await writeFile(join(dir, 'app.pem'), privateKey, { mode: 0o600 });
  await writeFile(join(dir, 'other.pem'), other.privateKey, { mode: 0o600 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  gh = await startGitHub();
  Object.assign(gh.state.apps, apps);
});
afterEach(async () => {
  await gh.close();
});

const app = (extra: Record<string, unknown> = {}) => ({
  token: undefined,
  app: { app_id: 4242, private_key_path: 'app.pem', installation_id: 77, ...extra },
});

describe('GitHub App authentication', () => {
  it('signs a JWT, exchanges it for an installation token, and manages members with it', async () => {
    const { instance, calls } = await connect(gh, app(), { configDir: dir });
    expect(await instance.check('bob')).toEqual({ state: 'member', role: 'member' });
    expect(await instance.add('octocat', {}, directAttempt())).toMatchObject({
      outcome: 'invited',
    });
    expect(calls.map((c) => `${c.method} ${c.route} ${c.status}`)).toEqual([
      'POST /app/installations/{installation_id}/access_tokens 201',
      'GET /orgs/{org}/memberships/{username} 200',
      'GET /orgs/{org}/memberships/{username} 404',
      'GET /orgs/{org} 200',
      'PUT /orgs/{org}/memberships/{username} 200',
    ]);
    const exchange = gh.requests[0];
    expect(exchange?.path).toBe('/app/installations/77/access_tokens');
  });

  it('a key of another App is an authentication error naming the key', async () => {
    const { instance } = await connect(gh, app({ private_key_path: 'other.pem' }), {
      configDir: dir,
    });
    const error = await failure(instance.check('bob'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/private_key_path/);
  });

  it('a wrong installation is a config error, not "absent"', async () => {
    const { instance } = await connect(gh, app({ installation_id: 78 }), { configDir: dir });
    const error = await failure(instance.check('bob'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^app\.installation_id: /);
  });

  it('a missing key file is a config error naming private_key_path', async () => {
    const error = await failure(
      connect(gh, app({ private_key_path: 'missing.pem' }), { configDir: dir }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^app\.private_key_path: cannot read .*missing\.pem \(ENOENT\)/);
  });
});
