import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  isOrchesterError,
  type OrchesterError,
  type SetupContext,
  silentLogger,
  systemClock,
} from '@orchester/core';
import { createTestContext, createTestSetupContext } from '@orchester/core/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrelloClient } from '../client.js';
import { trelloConnector } from '../connector.js';
import {
  SANDBOX_KEY,
  SANDBOX_TOKEN,
  type TrelloSandboxState,
  trelloEmulator,
} from '../sandbox/index.js';

let emulator: RunningEmulator<TrelloSandboxState>;
let dir: string;
let configPath: string;

beforeEach(async () => {
  emulator = await trelloEmulator.start();
  dir = mkdtempSync(join(tmpdir(), 'orchester-trello-setup-'));
  configPath = join(dir, '.orchester.json');
  writeConfig({ type: 'trello', organization: 'acme', api_key: SANDBOX_KEY });
});

afterEach(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(block: Record<string, unknown>): void {
  writeFileSync(configPath, JSON.stringify({ connectors: { trello: block } }, null, 2), {
    mode: 0o600,
  });
}

function readBlock(): Record<string, unknown> {
  return (
    JSON.parse(readFileSync(configPath, 'utf8')) as {
      connectors: { trello: Record<string, unknown> };
    }
  ).connectors.trello;
}

interface BrowserVisit {
  authorizeUrl: URL;
  landing: URL;
  pageStatus: string;
  addressBar: string | undefined;
}

/**
 * A browser: follows /start to the authorize page, lands on the loopback page with the token in
 * the fragment (never sent to a server), and runs the page's own script. `forgeState` plays a
 * page that posts someone else's token to the callback with a guessed state.
 */
async function browse(
  startUrl: string,
  options: { forgeState?: string } = {},
): Promise<BrowserVisit> {
  const start = await fetch(startUrl, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorizeUrl = new URL(start.headers.get('location')!);
  const approved = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const landing = new URL(approved.headers.get('location')!);
  const page = await fetch(`${landing.origin}${landing.pathname}${landing.search}`);
  expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
  const script = /<script>([\s\S]*)<\/script>/.exec(await page.text())?.[1];
  expect(script).toBeDefined();
  const status = { textContent: '' };
  let addressBar: string | undefined;
  const run = new Function(
    'document',
    'location',
    'history',
    'fetch',
    `return ${script!.trim().replace(/;$/, '')}`,
  ) as (...args: unknown[]) => Promise<void>;
  await run(
    { getElementById: () => status },
    {
      hash: landing.hash,
      search: options.forgeState ? `?state=${options.forgeState}` : landing.search,
      pathname: landing.pathname,
    },
    { replaceState: (_s: unknown, _t: string, url: string) => (addressBar = url) },
    (path: string, init: RequestInit) =>
      fetch(new URL(path, landing.origin), {
        ...init,
        headers: { ...(init.headers as Record<string, string>), origin: landing.origin },
      }),
  );
  return { authorizeUrl, landing, pageStatus: status.textContent, addressBar };
}

function setupContext(
  argv: string[],
  options: { stdin?: Readable; forgeState?: string; thenOwn?: boolean; openBrowser?: boolean } = {},
) {
  const printed: string[] = [];
  let visit: Promise<BrowserVisit> | undefined;
  const { type: _type, ...rawConfig } = readBlock();
  const context: SetupContext = {
    ...createTestSetupContext({ rawConfig }),
    instance: 'trello',
    argv,
    baseUrl: emulator.url,
    configPath,
    configDir: dir,
    signal: new AbortController().signal,
    clock: systemClock,
    logger: silentLogger,
    stdin: options.stdin ?? Readable.from([]),
    print: (line) => printed.push(line),
    saveConfig: async (values) => {
      writeConfig({ ...readBlock(), ...values });
      return configPath;
    },
    openUrl: async (url) => {
      if (options.openBrowser === false) return false;
      // A real browser opens and returns at once; the visit goes on beside the flow.
      const forgeState = options.forgeState;
      visit =
        forgeState && options.thenOwn
          ? // Another page posts a token with a guessed state first; then the person's own.
            (async () => {
              const forged = await browse(url, { forgeState });
              const own = await browse(url);
              return Object.assign(own, { forged, own });
            })()
          : browse(url, forgeState ? { forgeState } : {});
      visit.catch(() => undefined);
      return true;
    },
  };
  return { context, printed, visit: () => visit! };
}

async function failure(promise: Promise<unknown>): Promise<OrchesterError> {
  try {
    await promise;
  } catch (error) {
    if (isOrchesterError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const mintedTokens = () => emulator.state.tokens.slice(3);

describe('orchest generate trello', () => {
  it('authorizes in the browser, checks the token with /members/me and saves it owner-only', async () => {
    const { context, printed, visit } = setupContext([]);
    await trelloConnector.setup!.run(context);
    const { authorizeUrl, landing, pageStatus, addressBar } = await visit();

    expect(authorizeUrl.origin + authorizeUrl.pathname).toBe(`${emulator.url}/1/authorize`);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toEqual({
      key: SANDBOX_KEY,
      name: 'orchester',
      scope: 'read,write',
      expiration: 'never',
      response_type: 'token',
      return_url: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:\d+\/callback\?state=[A-Za-z0-9_-]{43}$/,
      ),
      callback_method: 'fragment',
    });
    expect(landing.hash).toMatch(/^#token=[0-9a-f]{64}$/);
    expect(pageStatus).toBe('Done: orchester has the token. You can close this tab.');
    expect(addressBar).toBe('/callback');

    const [minted] = mintedTokens();
    expect(minted).toMatchObject({
      idMember: emulator.state.authorizeAs,
      scope: ['read', 'write'],
      expiresAt: null,
    });
    expect(readBlock()).toEqual({
      type: 'trello',
      organization: 'acme',
      api_key: SANDBOX_KEY,
      token: minted!.token,
    });
    expect(statSync(configPath).mode & 0o077).toBe(0);
    expect(
      emulator.requests.filter((r) => r.route === '/1/members/:id').map((r) => r.path),
    ).toEqual(['/1/members/me']);

    const client = new TrelloClient({
      baseUrl: emulator.url,
      apiKey: SANDBOX_KEY,
      token: minted!.token,
      timeoutMs: 5_000,
      http: createTestContext({ config: {} }).http,
    });
    expect(
      (
        await client.request<{ username: string }>({
          method: 'GET',
          route: '/1/members/{id}',
          params: { id: 'me' },
          subject: 'other',
          name: 'me',
        })
      ).username,
    ).toBe('orchester_admin');

    const output = printed.join('\n');
    expect(output).toMatch(
      /Saved the token of @orchester_admin \(expiration never\) to .*\.orchester\.json/,
    );
    expect(output).not.toContain(minted!.token);
    expect(output).not.toContain(SANDBOX_KEY);
  });

  it('--print prints the token instead of saving it; --expiration reaches Trello', async () => {
    const { context, printed, visit } = setupContext([
      '--print',
      '--expiration',
      '1day',
      '--name=Acme offboarding',
    ]);
    await trelloConnector.setup!.run(context);
    const { authorizeUrl } = await visit();
    expect(authorizeUrl.searchParams.get('expiration')).toBe('1day');
    expect(authorizeUrl.searchParams.get('name')).toBe('Acme offboarding');
    const [minted] = mintedTokens();
    expect(minted!.expiresAt).toBeGreaterThan(Date.now() + 86_000_000);
    expect(printed.at(-1)).toBe(`TRELLO_TOKEN=${minted!.token}`);
    expect(printed.slice(0, -1).join('\n')).not.toContain(minted!.token);
    expect(readBlock()).not.toHaveProperty('token');
  });

  it('refuses a token posted with a forged state, logs it, and finishes with its own', async () => {
    const { context, visit } = setupContext([], { forgeState: 'f'.repeat(43), thenOwn: true });
    const warnings: string[] = [];
    await trelloConnector.setup!.run({
      ...context,
      logger: { ...silentLogger, warn: (_obj, msg) => warnings.push(String(msg)) },
    });
    const { forged, own } = (await visit()) as BrowserVisit & {
      forged?: BrowserVisit;
      own?: BrowserVisit;
    };
    expect(forged?.pageStatus).toMatch(/did not carry the state .* goes on waiting/);
    expect(own?.pageStatus).toBe('Done: orchester has the token. You can close this tab.');
    expect(warnings.join('\n')).toMatch(/wrong or missing state; still waiting/);
    // The token saved is the one the person's own page posted, verified once.
    const minted = mintedTokens();
    expect(minted).toHaveLength(2);
    expect(readBlock().token).toBe(minted[1]!.token);
    expect(emulator.requests.filter((r) => r.path === '/1/members/me')).toHaveLength(1);
  });

  it('--token-stdin takes a pasted token, verifies it and saves it', async () => {
    const { context, printed } = setupContext(['--token-stdin'], {
      stdin: Readable.from([`${SANDBOX_TOKEN}\n`]),
    });
    await trelloConnector.setup!.run(context);
    expect(readBlock().token).toBe(SANDBOX_TOKEN);
    expect(printed.join('\n')).not.toContain(SANDBOX_KEY);
    expect(printed.join('\n')).not.toContain(SANDBOX_TOKEN);
    expect(printed[0]).toMatch(/key=<your api_key>/);
  });

  it('--token-stdin refuses a malformed token and one Trello does not accept', async () => {
    const malformed = await failure(
      trelloConnector.setup!.run(
        setupContext(['--token-stdin'], { stdin: Readable.from(['not a token\n']) }).context,
      ),
    );
    expect([malformed.code, malformed.category]).toEqual(['ORCH_INVALID_INPUT', 'input']);
    const unknown = 'a'.repeat(64);
    const refused = await failure(
      trelloConnector.setup!.run(
        setupContext(['--token-stdin'], { stdin: Readable.from([`${unknown}\n`]) }).context,
      ),
    );
    expect(refused.code).toBe('ORCH_AUTHENTICATION');
    expect(refused.message).not.toContain(unknown);
    expect(readBlock()).not.toHaveProperty('token');
  });

  it('asks for api_key first, and refuses unknown arguments', async () => {
    writeConfig({ type: 'trello', organization: 'acme' });
    const noKey = await failure(trelloConnector.setup!.run(setupContext([]).context));
    expect([noKey.code, noKey.category]).toEqual(['ORCH_CONFIG', 'input']);
    expect(noKey.message).toMatch(/connectors\.trello\.api_key: required/);
    writeConfig({ type: 'trello', organization: 'acme', api_key: SANDBOX_KEY });
    const flag = await failure(
      trelloConnector.setup!.run(setupContext(['--scope', 'account']).context),
    );
    expect([flag.code, flag.message]).toEqual([
      'ORCH_INVALID_INPUT',
      expect.stringMatching(/unknown argument "--scope"/),
    ]);
    const expiration = await failure(
      trelloConnector.setup!.run(setupContext(['--expiration', 'forever']).context),
    );
    expect(expiration.message).toMatch(/--expiration must be one of 1hour, 1day, 30days, never/);
  });

  it('gives up when no browser answers in time, and closes the callback server', async () => {
    const { context, printed } = setupContext(['--timeout', '0.3', '--no-open']);
    const error = await failure(trelloConnector.setup!.run(context));
    // As Slack's and Drive's flows: the person's side, exit 2.
    expect([error.code, error.category]).toEqual(['ORCH_INVALID_INPUT', 'input']);
    expect(error.message).toBe(
      'no answer from the browser within 0.3 s; nothing was saved. Run "orchest generate trello" again (--timeout SECONDS waits longer)',
    );
    const startUrl = /Open (http:\/\/127\.0\.0\.1:\d+\/start) in a browser/.exec(
      printed[0] ?? '',
    )?.[1];
    expect(startUrl).toBeDefined();
    await expect(fetch(startUrl!)).rejects.toThrow();
  });
});
