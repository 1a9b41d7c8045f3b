import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Clock,
  InvalidInputError,
  type OrchesterError,
  type SetupContext,
  systemClock,
} from '@orchester/core';
import {
  createTestSetupContext,
  FakeClock,
  type LogLine,
  recordingLogger,
} from '@orchester/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clientFile,
  type Drive,
  readJsonFile,
  seedSecrets,
  startDrive,
  tempDir,
  writeJson,
} from '../../test/harness.js';
import { gdriveConnector } from '../connector.js';
import { DEFAULT_CONSENT_TIMEOUT_MS } from './loopback-flow.js';

const drive: Drive = await startDrive();
afterAll(() => drive.close());
beforeEach(() => drive.reset('demo'));

type Browser = (authUrl: string) => Promise<boolean>;

/** A browser that follows the consent screen's redirect to orchester's loopback server. */
const browser =
  (tamper: (callback: URL) => void = () => {}): Browser =>
  async (authUrl) => {
    const consent = await fetch(authUrl, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    tamper(callback);
    await fetch(callback);
    return true;
  };

interface Run {
  context: SetupContext;
  printed: string[];
  logs: LogLine[];
  configPath: string;
  dir: string;
  opened: string[];
}

async function setupRun(
  options: {
    rawConfig?: Record<string, unknown>;
    openUrl?: Browser;
    clock?: Clock;
    argv?: string[];
  } = {},
): Promise<Run> {
  const dir = await tempDir();
  await writeJson(dir, 'client.json', clientFile());
  const rawConfig = options.rawConfig ?? {
    type: 'gdrive',
    file_id: 'folder-team',
    credential_path: 'client.json',
  };
  const configPath = await writeJson(dir, '.orchester.json', {
    connectors: { 'drive-test': rawConfig },
  });
  const printed: string[] = [];
  const logs: LogLine[] = [];
  const opened: string[] = [];
  const context: SetupContext = {
    ...createTestSetupContext({ rawConfig }),
    instance: 'drive-test',
    argv: options.argv ?? [],
    baseUrl: drive.url,
    configPath,
    configDir: dir,
    signal: new AbortController().signal,
    clock: options.clock ?? systemClock,
    logger: recordingLogger(logs),
    stdin: process.stdin,
    print: (line) => printed.push(line),
    async saveConfig(values) {
      const file = JSON.parse(await readFile(configPath, 'utf8'));
      Object.assign(file.connectors['drive-test'], values);
      await writeFile(configPath, JSON.stringify(file, null, 2), { mode: 0o600 });
      return configPath;
    },
    async openUrl(url) {
      opened.push(url);
      return (options.openUrl ?? browser())(url);
    },
  };
  return { context, printed, logs, configPath, dir, opened };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the flow to fail');
    },
    (e: unknown) => e as OrchesterError,
  );

function expectNoSecrets(run: Run, drive: Drive, extra: unknown[] = []): void {
  const seen = JSON.stringify([
    run.printed,
    run.logs,
    extra.map((e) => [String(e), (e as OrchesterError).toJSON?.()]),
  ]);
  for (const secret of seedSecrets(drive.state)) expect(seen).not.toContain(secret);
}

describe('orchest generate gdrive', () => {
  it('signs in through the loopback flow with PKCE and writes the token owner-only', async () => {
    const run = await setupRun();
    await gdriveConnector.setup!.run(run.context);

    const auth = new URL(run.opened[0]!);
    expect(auth.pathname).toBe('/o/oauth2/v2/auth');
    expect(auth.searchParams.get('access_type')).toBe('offline');
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(auth.searchParams.get('redirect_uri')!).hostname).toBe('127.0.0.1');
    expect(run.printed).toContain(run.opened[0]);

    const tokenPath = join(run.dir, 'gdrive-token.json');
    expect((await stat(tokenPath)).mode & 0o777).toBe(0o600);
    const token = await readJsonFile(tokenPath);
    expect(drive.state.refreshTokens.has(String(token.refresh_token))).toBe(true);
    expect(drive.state.accessTokens.has(String(token.access_token))).toBe(true);
    // Where config did not say, the token path is saved into the instance block.
    expect((await readJsonFile(run.configPath)).connectors).toMatchObject({
      'drive-test': { token_path: 'gdrive-token.json' },
    });
    expectNoSecrets(run, drive);

    // The connector then works with what setup wrote.
    const { connect } = await import('../../test/harness.js');
    const gd = await connect(
      drive,
      { file_id: 'folder-team', credential_path: 'client.json', token_path: 'gdrive-token.json' },
      run.dir,
    );
    expect(await gd.check('ada@example.com')).toEqual({ state: 'member', role: 'writer' });
  });

  it('refuses an answer with a forged state, logs it, and goes on to finish with its own', async () => {
    let forged = 0;
    const run = await setupRun({
      openUrl: async (authUrl) => {
        const consent = await fetch(authUrl, { redirect: 'manual' });
        const callback = new URL(consent.headers.get('location')!);
        // Another page sends the browser to the callback with its own code and state first.
        const other = new URL(callback);
        other.searchParams.set('code', 'stolen-code');
        other.searchParams.set('state', 'forged-by-someone-else');
        forged = (await fetch(other)).status;
        await fetch(callback);
        return true;
      },
    });
    await gdriveConnector.setup!.run(run.context);
    expect(forged).toBe(400);
    expect(run.logs.map((l) => l.msg).join('\n')).toMatch(/wrong or missing state; still waiting/);
    // Only the person's own code was exchanged, once.
    const exchanges = drive.requests.filter((r) => r.path === '/token');
    expect(exchanges).toHaveLength(1);
    expect(JSON.stringify(exchanges[0]?.requestBody)).not.toContain('stolen-code');
    expect((await stat(join(run.dir, 'gdrive-token.json'))).mode & 0o777).toBe(0o600);
    expectNoSecrets(run, drive);
  });

  it('ends clearly when consent is denied', async () => {
    drive.state.consent = 'deny';
    const run = await setupRun();
    const error = await failure(gdriveConnector.setup!.run(run.context));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('access_denied');
    await expect(stat(join(run.dir, 'gdrive-token.json'))).rejects.toThrow();
  });

  it('ends clearly when the browser never answers', async () => {
    const clock = new FakeClock();
    const run = await setupRun({
      clock,
      openUrl: async () => false,
      rawConfig: {
        file_id: 'x',
        client_id: 'cid-only-for-url',
        client_secret: 'irrelevant-secret',
      },
    });
    const pending = failure(gdriveConnector.setup!.run(run.context));
    while (clock.pending === 0) await new Promise((r) => setTimeout(r, 5));
    expect(clock.sleeps).toEqual([DEFAULT_CONSENT_TIMEOUT_MS]);
    await clock.advance(DEFAULT_CONSENT_TIMEOUT_MS);
    const error = await pending;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('no answer from the browser within 300 s');
  });

  it('a rejected code exchange is an authentication error, not a crash', async () => {
    const run = await setupRun({
      rawConfig: {
        file_id: 'x',
        client_id: drive.state.clients[0]!.clientId,
        client_secret: 'GOCSPX-wrong-secret-value',
        token_path: 'tok.json',
      },
    });
    const error = await failure(gdriveConnector.setup!.run(run.context));
    expect(error.code).toBe('ORCH_AUTHENTICATION');
    expect(error.message).toContain('invalid_client');
    expect(JSON.stringify(error.toJSON())).not.toContain('GOCSPX-wrong-secret-value');
  });

  it('a service account needs no sign-in', async () => {
    const run = await setupRun({ rawConfig: { file_id: 'x', service_account_path: 'sa.json' } });
    await gdriveConnector.setup!.run(run.context);
    expect(run.printed.join('\n')).toContain('nothing to generate');
    expect(run.opened).toEqual([]);
  });

  it('refuses to run over an inline refresh_token, which would then clash with token_path', async () => {
    const run = await setupRun({ rawConfig: { file_id: 'x', ...drive.configBlock() } });
    const error = await failure(gdriveConnector.setup!.run(run.context));
    expect(error.code).toBe('ORCH_CONFIG');
    expect(error.message).toContain('refresh_token is set');
    expect(run.opened).toEqual([]);
  });

  it('without a client it says where to get one', async () => {
    const run = await setupRun({ rawConfig: { file_id: 'x' } });
    const error = await failure(gdriveConnector.setup!.run(run.context));
    expect(error.code).toBe('ORCH_CONFIG');
    expect(error.message).toContain('Google Cloud Console');
  });
});
