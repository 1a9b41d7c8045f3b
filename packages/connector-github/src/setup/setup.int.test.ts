import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AuthenticationError,
  ConfigError,
  InvalidInputError,
  type SetupContext,
  silentLogger,
  systemClock,
} from '@orchester/core';
import { createTestSetupContext } from '@orchester/core/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import githubConnector from '../index.js';
import { addApp, type GitHubState, SANDBOX_TOKEN } from '../sandbox/index.js';
import { failure, startGitHub } from '../test-support/harness.js';

let gh: RunningEmulator<GitHubState>;
let dir: string;
let configPath: string;
beforeEach(async () => {
  gh = await startGitHub();
  dir = await mkdtemp(join(tmpdir(), 'orchester-gh-setup-'));
  configPath = join(dir, '.orchester.json');
  await writeFile(
    configPath,
    JSON.stringify({ connectors: { github: { type: 'github', org: 'acme' } } }, null, 2),
  );
});
afterEach(async () => {
  await gh.close();
  await rm(dir, { recursive: true, force: true });
});

/** A SetupContext as `orchest generate github` builds it, writing the real temp config file. */
function setupContext(
  rawConfig: Record<string, unknown>,
  argv: string[] = [],
  stdin = '',
  env: Record<string, string> = {},
): { context: SetupContext; printed: string[] } {
  const printed: string[] = [];
  const context: SetupContext = {
    ...createTestSetupContext({ rawConfig, env }),
    instance: 'github',
    argv,
    baseUrl: gh.url,
    configPath,
    configDir: dir,
    signal: new AbortController().signal,
    clock: systemClock,
    logger: silentLogger,
    stdin: Readable.from(stdin === '' ? [] : [stdin]),
    print: (line) => printed.push(line),
    saveConfig: async (values) => {
      const file = JSON.parse(await readFile(configPath, 'utf8'));
      file.connectors.github = { ...file.connectors.github, ...values };
      await writeFile(configPath, JSON.stringify(file, null, 2));
      return configPath;
    },
    openUrl: async () => false,
  };
  return { context, printed };
}

const run = (context: SetupContext) => githubConnector.setup!.run(context);

describe('orchest generate github', () => {
  it('prints the login, the scopes and the role, and says the token is ready', async () => {
    const { context, printed } = setupContext({ org: 'acme', token: SANDBOX_TOKEN });
    await run(context);
    expect(printed).toEqual([
      'GitHub login: alice',
      'token scopes: admin:org, repo',
      'role in acme: admin',
      'ready: this token can check, add and remove members of acme',
      'nothing to save: the token stays where it is configured',
    ]);
  });

  it('says exactly what is missing: the admin:org scope and the owner role', async () => {
    gh.state.tokens.bob_token_000000000000 = { kind: 'pat', login: 'bob', scopes: ['read:org'] };
    const { context, printed } = setupContext(
      { org: 'acme', token: { env: 'ORCH_TEST_GH_TOKEN' } },
      [],
      '',
      { ORCH_TEST_GH_TOKEN: 'bob_token_000000000000' },
    );
    await run(context);
    expect(printed.slice(0, 3)).toEqual([
      'GitHub login: bob',
      'token scopes: read:org',
      'role in acme: member',
    ]);
    expect(printed.filter((l) => l.startsWith('missing: '))).toEqual([
      expect.stringMatching(
        /^missing: the admin:org scope \(read:org lets orchester check and list, but not add or remove\)/,
      ),
      expect.stringMatching(/^missing: the owner role in acme: bob is a member/),
    ]);
  });

  it('names a fine-grained token and an outsider', async () => {
    gh.state.tokens.github_pat_fine_0000000000 = {
      kind: 'pat',
      login: 'mona',
      scopes: null,
      members: 'write',
    };
    const { context, printed } = setupContext({ org: 'acme', token: 'github_pat_fine_0000000000' });
    await run(context);
    expect(printed).toContain('role in acme: not a member');
    expect(printed.find((l) => l.startsWith('token scopes:'))).toMatch(
      /fine-grained.*Members: read and write/,
    );
    expect(printed).toContainEqual(
      expect.stringMatching(/^missing: membership of acme: mona is not in the organization/),
    );
  });

  it('--token-stdin verifies the token and saves it to the config file', async () => {
    const { context, printed } = setupContext(
      { org: 'acme' },
      ['--token-stdin'],
      `${SANDBOX_TOKEN}\n`,
    );
    await run(context);
    const saved = JSON.parse(await readFile(configPath, 'utf8'));
    expect(saved.connectors.github).toEqual({ type: 'github', org: 'acme', token: SANDBOX_TOKEN });
    expect(printed.at(-1)).toBe(`saved the token to ${configPath} (connectors.github.token)`);
    expect(printed.join('\n')).not.toContain(SANDBOX_TOKEN);
  });

  it('--token-stdin with a bad token saves nothing and fails authentication', async () => {
    const { context, printed } = setupContext(
      { org: 'acme' },
      ['--token-stdin'],
      'ghp_notAValidTokenAtAll00000000',
    );
    const error = await failure(run(context));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.parse(await readFile(configPath, 'utf8')).connectors.github.token).toBeUndefined();
    expect(printed).toEqual([]);
  });

  it('without a token, or with an empty stdin, fails as input or config (exit 2) and sends nothing', async () => {
    const none = await failure(run(setupContext({ org: 'acme' }).context));
    expect(none).toBeInstanceOf(ConfigError);
    expect(none.message).toMatch(
      /^connectors\.github\.token: required; .*admin:org.*--token-stdin/,
    );
    expect(none.category).toBe('input');
    const empty = await failure(
      run(setupContext({ org: 'acme' }, ['--token-stdin'], '  \n').context),
    );
    expect(empty).toBeInstanceOf(InvalidInputError);
    expect(empty.category).toBe('input');
    const noOrg = await failure(run(setupContext({ token: SANDBOX_TOKEN }).context));
    expect(noOrg.message).toMatch(/^connectors\.github\.org: required/);
    expect(gh.requests).toHaveLength(0);
  });

  it('for an App, proves the key and the "Members: read and write" permission, or says it is missing', async () => {
    const writer = addApp(gh.state, { appId: 11, installationId: 21, org: 'acme' });
    const reader = addApp(gh.state, {
      appId: 12,
      installationId: 22,
      org: 'acme',
      members: 'read',
    });
    await writeFile(join(dir, 'writer.pem'), writer.privateKey);
    await writeFile(join(dir, 'reader.pem'), reader.privateKey);

    const ok = setupContext({
      org: 'acme',
      app: { app_id: 11, private_key_path: 'writer.pem', installation_id: 21 },
    });
    await run(ok.context);
    expect(ok.printed).toEqual([
      'GitHub App 11, installation 21: the private key works',
      'ready: this App can check, add and remove members of acme',
    ]);
    const lacking = setupContext({
      org: 'acme',
      app: { app_id: 12, private_key_path: 'reader.pem', installation_id: 22 },
    });
    await run(lacking.context);
    expect(lacking.printed[1]).toMatch(
      /^missing: the organization permission "Members: read and write" for this App in acme/,
    );

    const wrongKey = setupContext({
      org: 'acme',
      app: { app_id: 11, private_key_path: 'reader.pem', installation_id: 21 },
    });
    expect(await failure(run(wrongKey.context))).toBeInstanceOf(AuthenticationError);
    const badBlock = await failure(
      run(setupContext({ org: 'acme', app: { app_id: 'eleven' } }).context),
    );
    expect(badBlock).toBeInstanceOf(ConfigError);
    expect(badBlock.message).toMatch(/connectors\.github\.app\.app_id/);
  });

  it('a wrong org is a config error naming org', async () => {
    const error = await failure(
      run(setupContext({ org: 'acme-typo', token: SANDBOX_TOKEN }).context),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^org: GitHub has no organization "acme-typo"/);
  });
});
