import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrchesterError, type SetupContext, silentLogger, systemClock } from '@orchester/core';
import { createTestSetupContext, directAttempt } from '@orchester/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { instanceFor, type Slack, startSlack } from '../../test/harness.js';
import slack from '../index.js';
import { SANDBOX_APP, SANDBOX_CHANNELS, SANDBOX_TEAM } from '../sandbox/index.js';

let running: Slack | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface Visit {
  readonly hops: string[];
  readonly status: number;
  readonly page: string;
}

/** A browser that follows redirects by hand, so every hop can be seen. */
async function browse(start: string): Promise<Visit> {
  const hops = [start];
  let url = start;
  for (let i = 0; i < 5; i++) {
    const res = await fetch(url, { redirect: 'manual' });
    const next = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && next) {
      url = new URL(next, url).toString();
      hops.push(url);
      continue;
    }
    return { hops, status: res.status, page: await res.text() };
  }
  throw new Error('too many redirects');
}

interface Harness {
  readonly context: SetupContext;
  readonly printed: string[];
  readonly configPath: string;
  visit?: Promise<Visit>;
}

function setupFor(
  rawConfig: Record<string, unknown>,
  argv: string[],
  browser: (url: string) => Promise<Visit> | undefined = browse,
): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'orchester-slack-'));
  const configPath = join(dir, '.orchester.json');
  writeFileSync(
    configPath,
    JSON.stringify({ connectors: { slack: { type: 'slack', ...rawConfig } } }),
    { mode: 0o600 },
  );
  const printed: string[] = [];
  const harness: Harness = {
    printed,
    configPath,
    context: {
      ...createTestSetupContext({ rawConfig }),
      instance: 'slack',
      argv,
      ...(running ? { baseUrl: running.url } : {}),
      configPath,
      configDir: dir,
      signal: new AbortController().signal,
      clock: systemClock,
      logger: silentLogger,
      stdin: process.stdin,
      print: (line) => printed.push(line),
      saveConfig: async (values) => {
        const file = JSON.parse(readFileSync(configPath, 'utf8'));
        file.connectors.slack = { ...file.connectors.slack, ...values };
        writeFileSync(configPath, JSON.stringify(file, null, 2), { mode: 0o600 });
        return configPath;
      },
      openUrl: async (url) => {
        const visit = browser(url);
        if (visit) harness.visit = visit;
        return visit !== undefined;
      },
    },
  };
  return harness;
}

const APP = { client_id: SANDBOX_APP.clientId, client_secret: SANDBOX_APP.clientSecret };

async function failure(promise: Promise<unknown>): Promise<OrchesterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OrchesterError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('orchest generate slack', () => {
  it('runs the OAuth v2 flow end to end and saves tokens that work', async () => {
    running = await startSlack('enterprise');
    const block = {
      ...APP,
      mode: 'admin',
      team_id: SANDBOX_TEAM.id,
      channel_ids: [SANDBOX_CHANNELS.general],
    };
    const h = setupFor(block, ['--port', '0', '--timeout', '10']);
    await slack.setup!.run(h.context);
    const visit = await h.visit!;

    const authorize = new URL(visit.hops[1]!);
    expect(authorize.origin + authorize.pathname).toBe(`${running.url}/oauth/v2/authorize`);
    expect(authorize.searchParams.get('scope')).toBe('users:read,users:read.email');
    expect(authorize.searchParams.get('user_scope')).toBe('admin.users:read,admin.users:write');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/finish_auth$/,
    );
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32);
    expect(visit.status).toBe(200);
    expect(visit.page).toContain('Slack is connected');

    const saved = JSON.parse(readFileSync(h.configPath, 'utf8')).connectors.slack;
    expect(saved.token).toMatch(/^xoxb-/);
    expect(saved.admin_token).toMatch(/^xoxp-/);
    for (const secret of [saved.token, saved.admin_token, SANDBOX_APP.clientSecret]) {
      expect(visit.page).not.toContain(secret);
      expect(h.printed.join('\n')).not.toContain(secret);
      expect(JSON.stringify(running.requests)).not.toContain(secret);
    }
    expect(h.printed.join('\n')).toContain('Saved token, admin_token');

    // The saved tokens carry the scopes the mode needs.
    const { type: _t, ...own } = saved;
    const s = await instanceFor(running, own);
    expect(await s.check('ada@example.com')).toMatchObject({ state: 'member' });
    expect(await s.add('newcomer@example.com', {}, directAttempt())).toMatchObject({
      outcome: 'invited',
    });
  });

  it('asks for the admin scope in scim mode and prints the tokens with --print instead of saving', async () => {
    running = await startSlack('business+');
    const h = setupFor({ ...APP, mode: 'scim' }, ['--port=0', '--print', '--timeout', '10']);
    await slack.setup!.run(h.context);
    const visit = await h.visit!;
    expect(new URL(visit.hops[1]!).searchParams.get('user_scope')).toBe('admin');
    expect(h.printed.filter((l) => /^(token|admin_token): xox[bp]-/.test(l))).toHaveLength(2);
    expect(JSON.parse(readFileSync(h.configPath, 'utf8')).connectors.slack.token).toBeUndefined();
    expect(visit.page).not.toMatch(/xox[bp]-/);
  });

  it('refuses an answer with a forged state, logs it, and goes on to finish with its own', async () => {
    running = await startSlack('enterprise');
    let forged: Visit | undefined;
    const h = setupFor({ ...APP, mode: 'scim' }, ['--port', '0', '--timeout', '10'], (url) =>
      (async () => {
        // An attacker's page sends the browser straight to the callback with its own code and
        // state; then the operator approves in their own tab.
        forged = await browse(
          url.replace('/begin_auth', '/finish_auth?code=stolen-code&state=forged-state'),
        );
        return browse(url);
      })(),
    );
    const warnings: string[] = [];
    const context = {
      ...h.context,
      logger: { ...silentLogger, warn: (_o: unknown, msg?: string) => warnings.push(String(msg)) },
    };
    await slack.setup!.run(context);
    expect((await h.visit!).page).toContain('Slack is connected');
    expect(forged?.status).toBe(400);
    expect(forged?.page).toContain('goes on waiting');
    expect(warnings.join('\n')).toMatch(/wrong or missing state/);
    // The forged code was never exchanged; the operator's was, once.
    const exchanges = running.requests.filter((r) => r.path === '/api/oauth.v2.access');
    expect(exchanges).toHaveLength(1);
    expect(JSON.stringify(exchanges[0]?.requestBody)).not.toContain('stolen-code');
    expect(JSON.parse(readFileSync(h.configPath, 'utf8')).connectors.slack.token).toMatch(/^xoxb-/);
  });

  it('exchanges exactly one code when two answers with the right state arrive at once', async () => {
    running = await startSlack('enterprise');
    // A slow exchange keeps the first answer busy while the second arrives.
    running.setFaults({ latencyMs: 300, pathPattern: 'oauth\\.v2\\.access' });
    let second: Promise<Visit> | undefined;
    const h = setupFor({ ...APP, mode: 'scim' }, ['--port', '0', '--timeout', '10'], (url) =>
      (async () => {
        // Follow the flow to the callback, then call it twice at once (a reload, a second tab).
        const toAuthorize = await fetch(url, { redirect: 'manual' });
        const authorize = new URL(toAuthorize.headers.get('location')!, url).toString();
        const toFinish = await fetch(authorize, { redirect: 'manual' });
        const finishUrl = new URL(toFinish.headers.get('location')!, authorize).toString();
        second = browse(finishUrl);
        return browse(finishUrl);
      })(),
    );
    await slack.setup!.run(h.context);
    const statuses = [(await h.visit!).status, (await second!).status].sort();
    expect(statuses).toEqual([200, 409]);
    expect(running.requests.filter((r) => r.path === '/api/oauth.v2.access')).toHaveLength(1);
  });

  it('ends with a clear exit-2 error when the person declines', async () => {
    running = await startSlack('enterprise');
    running.state.oauth.deny = true;
    const h = setupFor({ ...APP, mode: 'admin' }, ['--port', '0', '--timeout', '10']);
    const error = await failure(slack.setup!.run(h.context));
    expect(error.category).toBe('input');
    expect(error.message).toContain('access_denied');
    expect((await h.visit!).status).toBe(400);
  });

  it('ends with a clear exit-2 error when no answer comes in time', async () => {
    running = await startSlack('enterprise');
    const h = setupFor(APP, ['--port', '0', '--timeout', '0.2'], () => undefined);
    const error = await failure(slack.setup!.run(h.context));
    expect(error.category).toBe('input');
    expect(error.message).toMatch(/no answer from the browser/);
  });

  it('names the missing or wrong app credential', async () => {
    running = await startSlack('enterprise');
    const missing = await failure(
      slack.setup!.run(setupFor({ client_id: APP.client_id }, ['--port', '0']).context),
    );
    expect(missing.code).toBe('ORCH_CONFIG');
    expect(missing.message).toContain('client_secret');
    const wrong = setupFor({ ...APP, client_secret: 'not-the-secret-value' }, [
      '--port',
      '0',
      '--timeout',
      '10',
    ]);
    const error = await failure(slack.setup!.run(wrong.context));
    expect(error.code).toBe('ORCH_CONFIG');
    expect(error.message).toContain('client_secret');
    expect(error.message).not.toContain('not-the-secret-value');
    expect((await wrong.visit!).page).not.toContain('not-the-secret-value');
  });

  it('refuses bad arguments and a port in use with exit-2 errors', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const inUse = await failure(
        slack.setup!.run(setupFor(APP, ['--port', String(port)]).context),
      );
      expect(inUse.code).toBe('ORCH_CONFIG');
      expect(inUse.message).toContain(String(port));
    } finally {
      busy.close();
    }
    expect((await failure(slack.setup!.run(setupFor(APP, ['--port', 'x']).context))).category).toBe(
      'input',
    );
    expect(
      (await failure(slack.setup!.run(setupFor(APP, ['--mode', 'magic']).context))).category,
    ).toBe('input');
  });
});
