import {
  AuthenticationError,
  CancelledError,
  ConfigError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  TransientError,
} from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubState } from './sandbox/index.js';
import { connect, failure, startGitHub } from './test-support/harness.js';

let gh: RunningEmulator<GitHubState>;
beforeEach(async () => {
  gh = await startGitHub();
});
afterEach(async () => {
  await gh.close();
});

describe('error mapping against the emulator', () => {
  it('a bad token is an authentication error', async () => {
    const { instance } = await connect(gh, { token: 'ghp_wrongWrongWrongWrongWrong0000' });
    const error = await failure(instance.check('bob'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/Bad credentials/);
    expect(error.retryable).toBe(false);
  });

  it('a member without the owner role, or a token without admin:org, gets a permission error saying what is needed', async () => {
    gh.state.tokens.dave_token_0000000000 = { kind: 'pat', login: 'dave', scopes: ['admin:org'] };
    gh.state.tokens.alice_read_0000000000 = { kind: 'pat', login: 'alice', scopes: ['read:org'] };
    const notOwner = await connect(gh, { token: 'dave_token_0000000000' });
    expect(await notOwner.instance.check('bob')).toMatchObject({ state: 'member' });
    const error = await failure(notOwner.instance.add('octocat', {}, directAttempt()));
    expect(error).toBeInstanceOf(PermissionError);
    expect(error.message).toMatch(/You must be an admin.*admin:org.*owner/);

    const readOnly = await connect(gh, { token: 'alice_read_0000000000' });
    const scoped = await failure(readOnly.instance.remove('bob', {}, directAttempt()));
    expect(scoped).toBeInstanceOf(PermissionError);
    expect(scoped.message).toMatch(/GitHub accepts scopes: admin:org/);
    // A fine-grained token without "Members: read and write" is told so in GitHub's words.
    gh.state.tokens.github_pat_read_00000000 = {
      kind: 'pat',
      login: 'alice',
      scopes: null,
      members: 'read',
    };
    const fine = await connect(gh, { token: 'github_pat_read_00000000' });
    const unwritable = await failure(fine.instance.remove('bob', {}, directAttempt()));
    expect(unwritable).toBeInstanceOf(PermissionError);
    expect(unwritable.message).toMatch(/Resource not accessible by personal access token/);
    // Pending invitations are hidden from non-owners (GitHub answers 404 there).
    expect(await failure(readOnly.instance.check('new.hire@example.com'))).toBeInstanceOf(
      PermissionError,
    );
  });

  it('an organization that does not exist is a config error naming org', async () => {
    const { instance } = await connect(gh, { org: 'acme-typo' });
    const error = await failure(instance.check('bob'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^org: GitHub has no organization "acme-typo"/);
    expect(error.category).toBe('input');
  });

  it('an unknown user is a permanent not-found error', async () => {
    const { instance } = await connect(gh);
    const error = await failure(instance.add('no-such-user', {}, directAttempt()));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toMatch(/no user "no-such-user"/);
    expect(error.retryable).toBe(false);
  });

  it('the primary limit is rate limited until x-ratelimit-reset', async () => {
    gh.state.limits.primaryPerHour = 2;
    const { instance } = await connect(gh);
    await instance.check('bob');
    await instance.check('carol');
    const before = Date.now();
    const error = (await failure(instance.check('dave'))) as unknown as RateLimitedError;
    const after = Date.now();
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(gh.requests.at(-1)?.status).toBe(403);
    expect(gh.requests.at(-1)?.responseHeaders['x-ratelimit-remaining']).toBe('0');
    // The wait runs to the reset (a whole second, so up to a second more), from some moment
    // between asking and being answered.
    const reset = Number(gh.requests.at(-1)?.responseHeaders['x-ratelimit-reset']) * 1000;
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(reset - after);
    expect(error.retryAfterMs).toBeLessThanOrEqual(reset - before + 1001);
  });

  it('the secondary limit on writes is rate limited for the retry-after GitHub sends', async () => {
    gh.state.limits.writesPerMinute = 1;
    const { instance } = await connect(gh);
    await instance.remove('carol', {}, directAttempt());
    const error = (await failure(
      instance.remove('dave', {}, directAttempt()),
    )) as unknown as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.message).toMatch(/secondary rate limit/);
    const asked = Number(gh.requests.at(-1)?.responseHeaders['retry-after']);
    expect(asked).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBe(asked * 1000);
    // Reads still pass: only writes are limited.
    expect(await instance.check('dave')).toMatchObject({ state: 'member' });
  });

  it('a 429 answer is rate limited for the retry-after GitHub sends', async () => {
    gh.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const { instance } = await connect(gh);
    const error = (await failure(instance.check('bob'))) as unknown as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBe(7000);
  });

  it('the invitation cap is rate limited for a whole day: GitHub does not say when it frees up', async () => {
    gh.state.limits.invitationCap = 1;
    const { instance } = await connect(gh);
    expect(await instance.add('octocat', {}, directAttempt())).toMatchObject({
      outcome: 'invited',
    });
    const byLogin = (await failure(
      instance.add('hubot', {}, directAttempt()),
    )) as unknown as RateLimitedError;
    expect(byLogin).toBeInstanceOf(RateLimitedError);
    expect(byLogin.message).toMatch(/invitation cap/);
    expect(byLogin.retryAfterMs).toBe(24 * 60 * 60_000);
    const byEmail = await failure(instance.add('late@example.com', {}, directAttempt()));
    expect(byEmail).toBeInstanceOf(RateLimitedError);
    expect(gh.requests.at(-1)?.status).toBe(422);
    // Role changes of members are not invitations and still work.
    expect(await instance.add('bob', { role: 'admin' }, directAttempt())).toMatchObject({
      outcome: 'role-changed',
    });
  });

  it('5xx answers are transient', async () => {
    gh.setFaults({ errorRate: 1, errorStatus: 503 });
    const { instance } = await connect(gh);
    const error = await failure(instance.check('bob'));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/503/);
    expect(error.retryable).toBe(true);
  });

  it('a dropped connection is transient, whether it drops before or after the emulator acted', async () => {
    gh.setFaults({ dropRate: 1 });
    const { instance } = await connect(gh);
    expect(await failure(instance.check('bob'))).toBeInstanceOf(TransientError);
    gh.setFaults({ dropAfterRate: 1, pathPattern: '^/orgs/acme/memberships/carol$' });
    // The membership lookup is answered, then its connection dropped: the remove stops there.
    expect(await failure(instance.remove('carol', {}, directAttempt()))).toBeInstanceOf(
      TransientError,
    );
    expect(gh.state.orgs.acme?.members.carol).toBe('member');
    gh.setFaults({});
    expect(await instance.remove('carol', {}, directAttempt())).toEqual({
      outcome: 'removed',
      role: 'member',
    });
  });

  it('a request that outlives timeout_ms is transient', async () => {
    gh.setFaults({ timeoutRate: 1, timeoutMs: 5_000 });
    const { instance } = await connect(gh, { timeout_ms: 200 });
    const started = Date.now();
    const error = await failure(instance.check('bob'));
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/did not answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('aborting orchester signal cancels the request in flight', async () => {
    gh.setFaults({ latencyMs: 2_000 });
    const controller = new AbortController();
    const { instance } = await connect(gh, {}, { signal: controller.signal });
    const pending = failure(instance.check('bob'));
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    expect(await pending).toBeInstanceOf(CancelledError);
  });

  it('records one call per HTTP request with the route template and the status', async () => {
    const { instance, calls } = await connect(gh);
    await instance.check('bob');
    await instance.add('no-such-user', {}, directAttempt()).catch(() => undefined);
    expect(calls.map((c) => [c.method, c.route, c.status])).toEqual([
      ['GET', '/orgs/{org}/memberships/{username}', 200],
      ['GET', '/orgs/{org}/memberships/{username}', 404],
      ['GET', '/orgs/{org}', 200],
      ['PUT', '/orgs/{org}/memberships/{username}', 404],
    ]);
    expect(calls.every((c) => c.durationMs >= 0)).toBe(true);
    expect(gh.requests).toHaveLength(calls.length);
  });
});
