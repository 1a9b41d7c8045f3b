import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearRegisteredSecrets } from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addApp, type GitHubState } from './sandbox/index.js';
import { connect, startGitHub } from './test-support/harness.js';

// Shapes no redaction pattern knows: only the connector's own care keeps them out.
const TOKEN = 'plain-secret-token-4f7c2a9e1b';
const BAD_TOKEN = 'plain-wrong-token-88d1e0c3a7';

let gh: RunningEmulator<GitHubState>;
beforeEach(async () => {
  // Nothing registered for redaction: the text must be clean on its own.
  clearRegisteredSecrets();
  gh = await startGitHub();
  gh.state.tokens[TOKEN] = { kind: 'pat', login: 'alice', scopes: ['admin:org'] };
});
afterEach(async () => {
  await gh.close();
});

function text(value: unknown): string {
  if (value instanceof Error) {
    return JSON.stringify({
      message: value.message,
      stack: value.stack,
      json: (value as { toJSON?: () => unknown }).toJSON?.(),
      cause: value.cause,
    });
  }
  return JSON.stringify(value);
}

describe('no secret leaves the connector', () => {
  it('in no error, log line, recorded call or emulator request log, on any path', async () => {
    const good = await connect(gh, { token: TOKEN, timeout_ms: 300 });
    const bad = await connect(gh, { token: BAD_TOKEN });
    const errors: unknown[] = [];
    const attempt = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (error) {
        errors.push(error);
      }
    };
    await attempt(bad.instance.check('bob'));
    await attempt(bad.instance.add('octocat', {}, directAttempt()));
    await attempt(good.instance.add('no-such-user', {}, directAttempt()));
    await good.instance.add('mona', {}, directAttempt());
    await good.instance.add('someone@example.com', {}, directAttempt());
    await good.instance.remove('someone@example.com', {}, directAttempt());
    gh.state.limits.invitationCap = 0;
    await attempt(good.instance.add('hubot', {}, directAttempt()));
    gh.state.limits.writesPerMinute = 0;
    await attempt(good.instance.remove('bob', {}, directAttempt()));
    gh.setFaults({ errorRate: 1 });
    await attempt(good.instance.check('bob'));
    gh.setFaults({ dropRate: 1 });
    await attempt(good.instance.check('bob'));
    gh.setFaults({ timeoutRate: 1, timeoutMs: 2_000 });
    await attempt(good.instance.check('bob'));
    gh.setFaults({});
    gh.state.limits.primaryPerHour = 0;
    await attempt(good.instance.check('bob'));

    expect(errors.length).toBeGreaterThanOrEqual(9);
    for (const out of [
      ...errors.map(text),
      text(good.logs),
      text(bad.logs),
      text(good.calls),
      text(bad.calls),
      text(gh.requests),
      await (await fetch(`${gh.url}/_sandbox/requests`)).text(),
    ]) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain(BAD_TOKEN);
    }
  });

  it('an App private key and its installation token stay out too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orchester-gh-secret-'));
    try {
      const { privateKey } = addApp(gh.state, { appId: 7, installationId: 8, org: 'acme' });
      await writeFile(join(dir, 'key.pem'), privateKey);
      const app = await connect(
        gh,
        { token: undefined, app: { app_id: 7, private_key_path: 'key.pem', installation_id: 8 } },
        { configDir: dir },
      );
      await app.instance.check('bob');
      gh.state.limits.writesPerMinute = 0;
      const error = await app.instance.remove('bob', {}, directAttempt()).catch((e: unknown) => e);
      const installationToken = Object.keys(gh.state.tokens).find((t) => t.startsWith('ghs_'));
      expect(installationToken).toBeDefined();
      const keyBody = (await readFile(join(dir, 'key.pem'), 'utf8')).split('\n')[1] ?? '';
      for (const out of [text(error), text(app.logs), text(app.calls), text(gh.requests)]) {
        expect(out).not.toContain(installationToken);
        expect(out).not.toContain(keyBody);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
