import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import githubEmulator from '@orchester/connector-github/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

type Running = Awaited<ReturnType<typeof githubEmulator.start>>;
const root = resolve(import.meta.dirname, '..', '..', '..');

let gh: Running;
let dir: string;
let config: string;

function writeConfig(
  connectors: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): void {
  writeFileSync(config, JSON.stringify({ ...extra, connectors }), { mode: 0o600 });
}
const github = (extra: Record<string, unknown> = {}) => ({
  type: 'github',
  ...gh.configBlock(),
  base_url: gh.url,
  ...extra,
});
const orchest = (...args: string[]) =>
  runCli(args, { cwd: dir, env: { ORCHESTER_CONFIG_PATH: config } });
const acme = () =>
  (
    gh.state as {
      orgs: Record<
        string,
        { members: Record<string, string>; invitations: Array<{ login: string | null }> }
      >;
    }
  ).orgs.acme!;

beforeAll(async () => {
  gh = await githubEmulator.start({ seed: 'demo' });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  gh.reset('demo');
  gh.setFaults({});
  dir = mkdtempSync(join(tmpdir(), 'orch-gh-cli-'));
  config = join(dir, '.orchester.json');
  writeConfig({ github: github() });
});

describe('orchest against the GitHub emulator', () => {
  it('connectors says usable only when the credentials pass verify(); --offline only checks config', async () => {
    writeConfig({
      github: github(),
      revoked: github({ token: 'ghp_revokedRevokedRevoked000000000000' }),
    });
    const online = await orchest('connectors');
    expect(online.code).toBe(0);
    expect(online.stdout).toMatch(/^ {2}github\s+github\s+usable$/m);
    expect(online.stdout).toMatch(
      /^ {2}revoked\s+github\s+not usable: GitHub refused the credentials/m,
    );
    const json = JSON.parse((await orchest('connectors', '--json')).stdout) as {
      instances: Array<{ name: string; usable: boolean }>;
    };
    expect(json.instances.map((i) => [i.name, i.usable])).toEqual([
      ['github', true],
      ['revoked', false],
    ]);
    const offline = await orchest('connectors', '--offline');
    expect(offline.stdout).toMatch(
      /^ {2}revoked\s+github\s+usable \(offline: credentials not checked\)$/m,
    );
    expect(offline.stdout).not.toContain('revokedRevoked');
  });

  it('check answers 0 for a member and 1, saying which, for everyone else', async () => {
    expect(await orchest('check', 'bob')).toMatchObject({
      code: 0,
      stdout: 'bob: is a member of github (role member)\n',
    });
    expect(await orchest('check', 'erin')).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('erin: has a pending invitation to github'),
    });
    expect(await orchest('check', 'octocat')).toMatchObject({
      code: 1,
      stdout: 'octocat: is not a member of github\n',
    });
  });

  it('add invites, rm removes or cancels, and both are safe to repeat', async () => {
    expect(await orchest('add', 'octocat', '--role', 'admin')).toMatchObject({
      code: 0,
      stdout: 'octocat: invited to github (role admin)\n',
    });
    expect(acme().invitations.map((i) => i.login)).toContain('octocat');
    expect(await orchest('add', 'octocat', '--role', 'admin')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('already invited'),
    });
    expect(await orchest('rm', 'erin')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('invitation cancelled'),
    });
    expect(acme().invitations.map((i) => i.login)).not.toContain('erin');
    expect(await orchest('rm', 'carol')).toMatchObject({
      code: 0,
      stdout: 'carol: removed from github (role member)\n',
    });
    expect(acme().members.carol).toBeUndefined();
    expect(await orchest('rm', 'carol')).toMatchObject({
      code: 0,
      stdout: 'carol: was not a member of github\n',
    });
  });

  it('--json prints one object a script can read', async () => {
    const result = await orchest('check', 'alice', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      instance: 'github',
      action: 'check',
      identifier: 'alice',
      state: 'member',
      role: 'admin',
      status: 'succeeded',
    });
  });

  it('bad input and bad config exit 2 and send nothing', async () => {
    const bad = await orchest('add', 'bad-');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a GitHub login');
    expect(await orchest('add', 'bob', '--role', 'owner')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('roles: member, admin'),
    });
    writeConfig({ github: { ...github(), token: '' } });
    const noToken = await orchest('check', 'bob');
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('connectors.github.token');
    writeConfig({ github: { ...github(), token: { env: 'NOT_SET_ANYWHERE' } } });
    expect(await orchest('check', 'bob')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('export NOT_SET_ANYWHERE'),
    });
    expect(gh.requests).toEqual([]);
  });

  it('names the instance with -c when one type has several, and keeps them apart', async () => {
    writeConfig({ 'github-corp': github(), 'github-oss': github({ org: 'nosuch' }) });
    expect(await orchest('check', 'bob')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('pick one with -c NAME'),
    });
    expect(await orchest('-c', 'github', 'check', 'bob')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('several instances (github-corp, github-oss)'),
    });
    expect(await orchest('-c', 'github-corp', 'check', 'bob')).toMatchObject({ code: 0 });
    expect(await orchest('-c', 'github-oss', 'check', 'bob')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('org'),
    });
    writeConfig(
      { 'github-corp': github(), 'github-oss': github({ org: 'nosuch' }) },
      { default_connector: 'github-corp' },
    );
    expect(await orchest('check', 'bob')).toMatchObject({ code: 0 });
  });

  it('exits 3 when the service keeps failing, after retrying', async () => {
    gh.setFaults({ errorRate: 1 });
    const result = await orchest('check', 'bob');
    expect(result.code).toBe(3);
    expect(gh.requests.length).toBe(4);
    expect(result.stderr).toMatch(/retrying in \d+ s/);
  });

  it('a bad token exits 3 as an authentication failure and never prints the token', async () => {
    writeConfig({ github: github({ token: 'ghp_definitelyNotAValidToken0000000000' }) });
    const result = await orchest('check', 'bob', '--json');
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'failed',
      error: { code: 'ORCH_AUTHENTICATION' },
    });
    expect(result.stdout + result.stderr).not.toContain('definitelyNotAValidToken');
  });

  it('generate github reports the login, scopes and role', async () => {
    const result = await orchest('generate', 'github');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('GitHub login: alice');
    expect(result.stdout).toContain('role in acme: admin');
  });
});

describe('the programmatic API example', () => {
  it('is the code README shows, and runs against the emulator', async () => {
    const example = readFileSync(join(root, 'examples', 'programmatic.mjs'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(example.trim());
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(root, 'examples', 'programmatic.mjs')],
      {
        cwd: root,
        env: { PATH: process.env.PATH, ORCHESTER_CONFIG_PATH: config },
      },
    );
    expect(stdout).toContain('octocat is absent');
    expect(stdout).toContain('hubot: invited');
    expect(stdout).toMatch(/^bob\tmember\tmember$/m);
    expect(stdout).toMatch(/^hubot\tinvited\tmember$/m);
  });
});
