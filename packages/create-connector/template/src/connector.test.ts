// Runs the connector against its own emulator, as orchester would: every outcome, the role rules,
// each error class, Retry-After, route templates without identifiers, and no token in any error.
import { type ServiceCall, silentLogger, systemClock } from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import connector from './index.js';
import { emulator, SANDBOX_READ_ONLY_TOKEN, SANDBOX_TOKEN } from './sandbox/index.js';

let running: Awaited<ReturnType<typeof emulator.start>>;
let calls: ServiceCall[];

beforeAll(async () => {
  running = await emulator.start({ seed: 'demo' });
});
afterAll(() => running.close());
beforeEach(() => {
  running.reset('demo');
  running.setFaults({});
  calls = [];
});

/** An instance pointed at the emulator, as orchester builds it from the config block. */
async function connect(token = SANDBOX_TOKEN) {
  const { base_url, ...block } = running.configBlock();
  const config = connector.configSchema.parse({ ...block, token });
  return connector.create({
    instance: 'test',
    config,
    logger: silentLogger,
    signal: new AbortController().signal,
    clock: systemClock,
    baseUrl: String(base_url),
    configDir: process.cwd(),
    recordCall: (call) => calls.push(call),
  });
}

/** [username, access level] of everyone in the emulator's group. */
const members = () =>
  running.state.groups[0]?.members.map((m) => [
    running.state.users.find((u) => u.id === m.userId)?.username,
    m.accessLevel,
  ]);

describe('membership', () => {
  it('checks members with their role, and people who are not in the group', async () => {
    const instance = await connect();
    expect(await instance.check('bob')).toEqual({ state: 'member', role: 'developer' });
    expect(await instance.check('dave')).toEqual({ state: 'absent' });
    expect(await instance.check('nobody')).toMatchObject({ state: 'absent' });
  });

  it('adds someone new with the default role, and a second add changes nothing', async () => {
    const instance = await connect();
    expect(await instance.add('dave', {}, directAttempt())).toEqual({
      outcome: 'added',
      role: 'developer',
    });
    expect(await instance.add('dave', {}, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'developer',
    });
    expect(members()).toContainEqual(['dave', 30]);
  });

  it('keeps the role of someone already there on a bare add, and changes it when one is asked', async () => {
    const instance = await connect();
    expect(await instance.add('carol', {}, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'maintainer',
    });
    expect(members()).toContainEqual(['carol', 40]);
    expect(await instance.add('carol', { role: 'reporter' }, directAttempt())).toMatchObject({
      outcome: 'role-changed',
      role: 'reporter',
    });
    expect(members()).toContainEqual(['carol', 20]);
  });

  it('removes a member, and a second remove answers not-member', async () => {
    const instance = await connect();
    expect(await instance.remove('bob', {}, directAttempt())).toEqual({ outcome: 'removed' });
    expect(await instance.remove('bob', {}, directAttempt())).toEqual({ outcome: 'not-member' });
    expect(await instance.remove('nobody', {}, directAttempt())).toEqual({ outcome: 'not-member' });
  });

  it('lists every member across pages', async () => {
    running.reset('empty');
    const instance = await connect();
    const group = running.state.groups[0];
    for (let id = 1; id <= 5; id++) group?.members.push({ userId: id, accessLevel: 30 });
    for (let i = 0; i < 200; i++) running.state.users.push({ id: 1000 + i, username: `u${i}` });
    for (let i = 0; i < 200; i++) group?.members.push({ userId: 1000 + i, accessLevel: 10 });
    const listed = [];
    for await (const m of instance.list?.() ?? []) listed.push(m);
    expect(listed).toHaveLength(205);
    expect(calls.filter((c) => c.route === '/groups/{group}/members')).toHaveLength(3);
  });
});

describe('errors', () => {
  it('a person with no account cannot be added (ORCH_NOT_FOUND)', async () => {
    const instance = await connect();
    await expect(instance.add('nobody', {}, directAttempt())).rejects.toMatchObject({
      code: 'ORCH_NOT_FOUND',
    });
  });

  it('a refused token is ORCH_AUTHENTICATION, a read-only one ORCH_PERMISSION on writes', async () => {
    await expect((await connect('wrong-token')).check('bob')).rejects.toMatchObject({
      code: 'ORCH_AUTHENTICATION',
    });
    await expect(
      (await connect(SANDBOX_READ_ONLY_TOKEN)).add('dave', {}, directAttempt()),
    ).rejects.toMatchObject({
      code: 'ORCH_PERMISSION',
    });
  });

  it('a 429 is ORCH_RATE_LIMITED with the wait the service asked for; a 5xx is ORCH_TRANSIENT', async () => {
    const instance = await connect();
    running.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    await expect(instance.check('bob')).rejects.toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      retryAfterMs: 7000,
    });
    running.setFaults({ errorRate: 1 });
    await expect(instance.check('bob')).rejects.toMatchObject({
      code: 'ORCH_TRANSIENT',
      retryable: true,
    });
  });

  it('a dropped connection is ORCH_TRANSIENT', async () => {
    const instance = await connect();
    running.setFaults({ dropRate: 1 });
    await expect(instance.check('bob')).rejects.toMatchObject({ code: 'ORCH_TRANSIENT' });
  });

  it('never puts the token in an error, and records routes without identifiers', async () => {
    const instance = await connect('wrong-token');
    const error = await instance.add('dave', {}, directAttempt()).catch((e: unknown) => e);
    expect(JSON.stringify(error) + String(error)).not.toContain('wrong-token');
    const ok = await connect();
    await ok.add('dave', {}, directAttempt());
    await ok.remove('dave', {}, directAttempt());
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.route).not.toMatch(/dave|acme|\d/);
  });
});
