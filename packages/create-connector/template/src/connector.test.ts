// The connector against its own emulator: orchester's conformance suite (idempotent add and
// remove, the replay after a lost answer, each error class, Retry-After, no secret in any output,
// route templates without identifiers), then this service's own rules: roles and paging.
import { createTestContext, describeConformance, directAttempt } from '@orchester/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import connector from './index.js';
import { emulator, SANDBOX_READ_ONLY_TOKEN } from './sandbox/index.js';

describeConformance(
  { describe, it },
  {
    connector,
    start: () => emulator.start({ seed: 'demo' }),
    newcomer: 'dave',
    member: 'bob',
    keepsRole: { identifier: 'carol', role: 'maintainer' },
    wrongCredentials: { token: 'a-revoked-token' },
    identifiers: ['acme'],
  },
);

let running: Awaited<ReturnType<typeof emulator.start>>;
beforeAll(async () => {
  running = await emulator.start({ seed: 'demo' });
});
afterAll(() => running.close());
beforeEach(() => running.reset('demo'));

/** An instance pointed at the emulator, as orchester builds it from the config block. */
async function connect(overrides: Record<string, unknown> = {}) {
  const { base_url: _url, ...block } = running.configBlock();
  const config = connector.configSchema.parse({ ...block, ...overrides });
  const context = createTestContext({ config, baseUrl: running.url });
  return { instance: await connector.create(context), context };
}

/** [username, access level] of everyone in the emulator's group. */
const members = () =>
  running.state.groups[0]?.members.map((m) => [
    running.state.users.find((u) => u.id === m.userId)?.username,
    m.accessLevel,
  ]);

describe('roles', () => {
  it('gives someone new the default role', async () => {
    const { instance } = await connect();
    expect(await instance.add('dave', {}, directAttempt())).toEqual({
      outcome: 'added',
      role: 'developer',
    });
    expect(members()).toContainEqual(['dave', 30]);
  });

  it('keeps the role of someone already there on a bare add, and changes it when one is asked', async () => {
    const { instance } = await connect();
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
});

describe('the service', () => {
  it('answers absent for a username nobody has, and refuses to add them (ORCH_NOT_FOUND)', async () => {
    const { instance } = await connect();
    expect(await instance.check('nobody')).toMatchObject({ state: 'absent' });
    await expect(instance.add('nobody', {}, directAttempt())).rejects.toMatchObject({
      code: 'ORCH_NOT_FOUND',
    });
  });

  it('says what to fix when the token is refused, or may only read', async () => {
    await expect((await connect({ token: 'wrong' })).instance.check('bob')).rejects.toMatchObject({
      code: 'ORCH_AUTHENTICATION',
      message: expect.stringContaining('check "token" in the instance\'s config'),
    });
    const { instance } = await connect({ token: SANDBOX_READ_ONLY_TOKEN });
    await expect(instance.add('dave', {}, directAttempt())).rejects.toMatchObject({
      code: 'ORCH_PERMISSION',
      message: expect.stringContaining('the token needs the Owner role in the group'),
    });
  });

  it('verify proves the token and the group', async () => {
    await expect((await connect()).instance.verify?.()).resolves.toBeUndefined();
    await expect((await connect({ group: 'elsewhere' })).instance.verify?.()).rejects.toMatchObject(
      { code: 'ORCH_CONFIG' },
    );
    await expect((await connect({ token: 'wrong' })).instance.verify?.()).rejects.toMatchObject({
      code: 'ORCH_AUTHENTICATION',
    });
  });

  it('lists every member across pages', async () => {
    running.reset('empty');
    const group = running.state.groups[0];
    for (let i = 0; i < 205; i++) {
      running.state.users.push({ id: 1000 + i, username: `u${i}` });
      group?.members.push({ userId: 1000 + i, accessLevel: 10 });
    }
    const { instance, context } = await connect();
    const listed = [];
    for await (const m of instance.list?.() ?? []) listed.push(m);
    expect(listed).toHaveLength(205);
    expect(context.calls.filter((c) => c.route === '/groups/{group}/members')).toHaveLength(3);
  });
});
