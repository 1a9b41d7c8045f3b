import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConnectorInstance,
  type IdentityMap,
  isOrchesterError,
  MemoryIdentityStore,
  type OrchesterError,
} from '@orchester/core';
import { createTestContext, directAttempt, type TestContext } from '@orchester/core/testing';
import { FileIdentityStore } from '@orchester/runtime';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TrelloClient } from './client.js';
import { trelloConfigSchema } from './config.js';
import { trelloConnector } from './connector.js';
import { pendingValue } from './invitee.js';
import {
  SANDBOX_KEY,
  SANDBOX_NORMAL_TOKEN,
  SANDBOX_READ_ONLY_TOKEN,
  SANDBOX_TOKEN,
  type TrelloSandboxState,
  trelloEmulator,
} from './sandbox/index.js';
import { specViolations } from './test-support/spec-check.js';

let emulator: RunningEmulator<TrelloSandboxState>;
let seen: TestContext<unknown>[] = [];
const errors: OrchesterError[] = [];

beforeEach(async () => {
  emulator = await trelloEmulator.start();
  seen = [];
  errors.length = 0;
});

afterEach(async () => {
  // Every answer the emulator gave in the test agrees with Trello's published description.
  expect(specViolations(emulator.requests)).toEqual([]);
  // No credential in any URL the emulator saw, any call the connector recorded, any log line or error.
  const everything = JSON.stringify([
    emulator.requests.map((r) => [r.path, r.query]),
    seen.map((s) => [s.calls, s.logs]),
    errors.map((e) => [e.message, e.toJSON()]),
  ]);
  for (const secret of [
    SANDBOX_KEY,
    SANDBOX_TOKEN,
    SANDBOX_READ_ONLY_TOKEN,
    SANDBOX_NORMAL_TOKEN,
  ]) {
    expect(everything).not.toContain(secret);
  }
  await emulator.close();
});

function connect(
  overrides: Record<string, unknown> = {},
  signal?: AbortSignal,
  identities: IdentityMap = new MemoryIdentityStore().forInstance('trello'),
): ConnectorInstance {
  const config = trelloConfigSchema.parse({
    organization: 'acme',
    api_key: SANDBOX_KEY,
    token: SANDBOX_TOKEN,
    ...overrides,
  });
  const context = createTestContext({
    instance: 'trello',
    config,
    baseUrl: emulator.url,
    identities,
    ...(signal ? { signal } : {}),
  });
  seen.push(context);
  return trelloConnector.create(context) as ConnectorInstance;
}

async function failure(promise: Promise<unknown>): Promise<OrchesterError> {
  try {
    await promise;
  } catch (error) {
    if (!isOrchesterError(error)) throw error;
    errors.push(error);
    return error;
  }
  throw new Error('expected a failure');
}

const acme = () => emulator.state.organizations.find((o) => o.name === 'acme')!;
const idOf = (username: string) => emulator.state.accounts.find((a) => a.username === username)!.id;
const membershipOf = (username: string) =>
  acme().memberships.find((m) => m.idMember === idOf(username));
const boardMembers = (board: string) =>
  emulator.state.boards
    .find((b) => b.name === board)!
    .idMembers.map((id) => emulator.state.accounts.find((a) => a.id === id)!.username);
const writes = () =>
  emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.route}`);

describe('check', () => {
  it('answers members, admins, invited, deactivated and absent people by username, with one read', async () => {
    const trello = connect();
    expect(await trello.check('grace')).toEqual({ state: 'member', role: 'normal' });
    expect(await trello.check('ada')).toEqual({ state: 'member', role: 'admin' });
    expect(await trello.check('margaret91650112')).toEqual({ state: 'invited', role: 'normal' });
    expect(await trello.check('linus')).toEqual({ state: 'deactivated', role: 'normal' });
    expect(await trello.check('alan')).toEqual({ state: 'absent' });
    expect(await trello.check('no_such_user')).toEqual({ state: 'absent' });
    // Never /1/members/ (100 requests per 900 s): the memberships say everything a check needs.
    expect(emulator.requests.map((r) => r.route)).toEqual(
      Array(6).fill('/1/organizations/:id/memberships'),
    );
  });

  it('by e-mail says "not found, and Trello shows only part" unless orchester invited the e-mail', async () => {
    const trello = connect();
    // Grace is a member, but Trello never shows her e-mail: no false "not a member".
    expect(await trello.check('grace@acme.example')).toEqual({
      state: 'absent',
      partial: true,
      detail:
        'Trello shows no e-mail addresses and orchester never invited this one to trello; check the Trello username',
    });
    expect(emulator.requests).toEqual([]);
    await trello.add('new.person@example.org', {}, directAttempt());
    expect(await trello.check('new.person@example.org')).toEqual({
      state: 'invited',
      role: 'normal',
    });
  });
});

describe('add', () => {
  it('adds by username with the asked role, and a second delivery is already-member', async () => {
    const trello = connect();
    expect(await trello.add('alan', { role: 'admin' }, directAttempt())).toEqual({
      outcome: 'added',
      role: 'admin',
    });
    expect(membershipOf('alan')).toMatchObject({
      memberType: 'admin',
      unconfirmed: false,
      deactivated: false,
    });
    expect(await trello.add('alan', { role: 'admin' }, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'admin',
    });
    expect(writes()).toEqual(['PUT /1/organizations/:id/members/:idMember']);
  });

  it('invites by e-mail with the full name given, else the local part', async () => {
    const trello = connect();
    expect(await trello.add('new.person@example.org', { role: 'normal' }, directAttempt())).toEqual(
      {
        outcome: 'invited',
        role: 'normal',
      },
    );
    expect(
      await trello.add(
        'named@example.org',
        { role: 'normal', fullName: 'Named Person' },
        directAttempt(),
      ),
    ).toEqual({
      outcome: 'invited',
      role: 'normal',
    });
    const ghost = emulator.state.accounts.find((a) => a.email === 'new.person@example.org')!;
    expect([ghost.fullName, ghost.confirmed, ghost.memberType]).toEqual([
      'new.person',
      false,
      'ghost',
    ]);
    expect(emulator.state.accounts.find((a) => a.email === 'named@example.org')!.fullName).toBe(
      'Named Person',
    );
    expect(await trello.check('new.person@example.org')).toEqual({
      state: 'invited',
      role: 'normal',
    });
    expect(await trello.add('new.person@example.org', { role: 'normal' }, directAttempt())).toEqual(
      {
        outcome: 'already-invited',
        role: 'normal',
      },
    );
    // Invitations travel in the query string (Trello's PUT parameters); the e-mail is there, no credential.
    const invitations = emulator.requests
      .filter((r) => r.route === '/1/organizations/:id/members')
      .map((r) => r.query);
    expect(invitations).toEqual([
      'email=new.person%40example.org&fullName=new.person&type=normal',
      'email=named%40example.org&fullName=Named+Person&type=normal',
    ]);
    // Two calls per invitation: the memberships, then the invitation; the second add reads only.
    expect(seen[0]!.calls.length).toBe(6);
  });

  it('reactivates a deactivated member instead of inviting them again', async () => {
    const trello = connect();
    const before = acme().memberships.length;
    expect(await trello.add('linus', { role: 'normal' }, directAttempt())).toMatchObject({
      outcome: 'reactivated',
      role: 'normal',
    });
    expect(membershipOf('linus')?.deactivated).toBe(false);
    expect(await trello.add('linus', { role: 'normal' }, directAttempt())).toMatchObject({
      outcome: 'already-member',
    });
    expect(acme().memberships.length).toBe(before);
    expect(writes()).toEqual(['PUT /1/organizations/:id/members/:idMember/deactivated']);
  });

  it('changes the type only when one is asked for', async () => {
    const trello = connect();
    expect(await trello.add('grace', { role: 'admin' }, directAttempt())).toEqual({
      outcome: 'role-changed',
      role: 'admin',
      detail: 'was normal',
    });
    expect(membershipOf('grace')?.memberType).toBe('admin');
    // A plain add leaves an admin an admin; asking for normal demotes.
    expect(await trello.add('ada', {}, directAttempt())).toEqual({
      outcome: 'already-member',
      role: 'admin',
    });
    expect(membershipOf('ada')?.memberType).toBe('admin');
    expect(await trello.add('ada', { role: 'normal' }, directAttempt())).toEqual({
      outcome: 'role-changed',
      role: 'normal',
      detail: 'was admin',
    });
    expect(membershipOf('ada')?.memberType).toBe('normal');
  });

  it('adds by username in one write, no /1/members/ lookup; an unknown username is not found', async () => {
    const trello = connect();
    const before = acme().memberships.length;
    const error = await failure(trello.add('no_such_user', { role: 'normal' }, directAttempt()));
    expect([error.code, error.message]).toEqual([
      'ORCH_NOT_FOUND',
      'Trello has no member "no_such_user" (model not found)',
    ]);
    expect(acme().memberships.length).toBe(before);
    expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /1/organizations/acme/memberships 200',
      'PUT /1/organizations/acme/members/no_such_user 404',
    ]);
  });

  it('refuses an e-mail Trello already has in the workspace, since it will not say as whom', async () => {
    const identities = new MemoryIdentityStore().forInstance('trello');
    const trello = connect({}, undefined, identities);
    // margaret@ was invited by someone else; linus@ is a deactivated member: no access at all.
    for (const email of ['margaret@acme.example', 'linus@acme.example']) {
      const error = await failure(trello.add(email, {}, directAttempt()));
      expect([error.code, error.category]).toEqual(['ORCH_CONFLICT', 'service']);
      expect(error.message).toContain(
        'does not say which member that is, so orchester cannot tell whether they have access; add them by username: orchest add USERNAME -c trello',
      );
    }
    expect([...(await identities.entries())]).toEqual([]);
    expect(membershipOf('linus')?.deactivated).toBe(true);
  });
});

describe('remove', () => {
  it('removes from the workspace only, leaving board access, by default', async () => {
    const trello = connect();
    expect(await trello.remove('grace', {}, directAttempt())).toEqual({
      outcome: 'removed',
      role: 'normal',
    });
    expect(membershipOf('grace')).toBeUndefined();
    expect(boardMembers('Ops')).toContain('grace');
    expect(await trello.remove('grace', {}, directAttempt())).toEqual({ outcome: 'not-member' });
    expect(writes()).toEqual(['DELETE /1/organizations/:id/members/:idMember']);
  });

  it('with removeFromBoards uses the /all form, which clears the workspace boards and no others', async () => {
    const trello = connect();
    expect(await trello.remove('grace', { removeFromBoards: true }, directAttempt())).toEqual({
      outcome: 'removed',
      role: 'normal',
      detail: 'removed and from every board of the workspace',
    });
    expect(boardMembers('Ops')).not.toContain('grace');
    expect(boardMembers('Roadmap')).not.toContain('grace');
    expect(boardMembers('Elsewhere')).toContain('grace');
    expect(writes()).toEqual(['DELETE /1/organizations/:id/members/:idMember/all']);
  });

  it('takes remove_from_boards from config, and the option overrides it', async () => {
    const trello = connect({ remove_from_boards: true });
    await trello.remove('ken', {}, directAttempt());
    await trello.remove('grace', { removeFromBoards: false }, directAttempt());
    expect(boardMembers('Ops')).toEqual(['orchester_admin', 'grace']);
    expect(writes()).toEqual([
      'DELETE /1/organizations/:id/members/:idMember/all',
      'DELETE /1/organizations/:id/members/:idMember',
    ]);
  });

  it('cancels an invitation, removes a deactivated member, and answers not-member for strangers', async () => {
    const trello = connect();
    expect(await trello.remove('margaret91650112', {}, directAttempt())).toEqual({
      outcome: 'invitation-cancelled',
    });
    expect(await trello.remove('linus', {}, directAttempt())).toEqual({
      outcome: 'removed',
      role: 'normal',
      detail: 'was deactivated; removed',
    });
    expect(await trello.remove('alan', {}, directAttempt())).toEqual({ outcome: 'not-member' });
    expect(await trello.remove('no_such_user', {}, directAttempt())).toEqual({
      outcome: 'not-member',
    });
  });

  it('by an e-mail orchester never invited fails before any request, naming the way by username', async () => {
    const error = await failure(connect().remove('grace@acme.example', {}, directAttempt()));
    expect([error.code, error.category, error.message]).toEqual([
      'ORCH_INVALID_IDENTIFIER',
      'input',
      'Trello never shows e-mail addresses, and orchester has no record of which Trello member grace@acme.example is (it learns that only from an invitation it sends itself); give the Trello username instead: orchest rm USERNAME -c trello',
    ]);
    expect(emulator.requests).toEqual([]);
    expect(membershipOf('grace')).toBeDefined();
  });

  it('settles an invitation whose answer was lost from its pending note, on check and on remove', async () => {
    const identities = new MemoryIdentityStore().forInstance('trello');
    const trello = connect({}, undefined, identities);
    // What an invitation leaves when its answer is lost: the note written before sending (with
    // margaret's invitation, which was there), and the invitation itself, made by Trello.
    const margaret = idOf('margaret91650112');
    await identities.set('lost@example.org', pendingValue('lost', new Set([margaret])));
    const sent = await fetch(
      `${emulator.url}/1/organizations/acme/members?email=lost%40example.org&fullName=lost&type=normal`,
      {
        method: 'PUT',
        headers: {
          authorization: `OAuth oauth_consumer_key="${SANDBOX_KEY}", oauth_token="${SANDBOX_TOKEN}"`,
        },
      },
    );
    expect(sent.status).toBe(200);
    const ghost = emulator.state.accounts.find((a) => a.email === 'lost@example.org')!;
    expect(await trello.check('lost@example.org')).toEqual({ state: 'invited', role: 'normal' });
    expect(await identities.get('lost@example.org')).toBe(ghost.id);

    // The same on remove, for an invitation whose note is all there is.
    await identities.set('lost2@example.org', pendingValue('lost2', new Set([margaret])));
    await fetch(
      `${emulator.url}/1/organizations/acme/members?email=lost2%40example.org&fullName=lost2&type=normal`,
      {
        method: 'PUT',
        headers: {
          authorization: `OAuth oauth_consumer_key="${SANDBOX_KEY}", oauth_token="${SANDBOX_TOKEN}"`,
        },
      },
    );
    expect(await trello.remove('lost2@example.org', {}, directAttempt())).toEqual({
      outcome: 'invitation-cancelled',
    });
    // A note that matches nothing (the invitation never landed) says so, and sends nothing.
    await identities.set('never@example.org', pendingValue('never', new Set([margaret])));
    const unsettled = await failure(trello.remove('never@example.org', {}, directAttempt()));
    expect(unsettled.message).toContain("Trello's answer was lost");
    expect(await trello.check('never@example.org')).toMatchObject({
      state: 'absent',
      partial: true,
    });
    expect(writes().filter((w) => w.startsWith('DELETE'))).toHaveLength(1);
  });

  it('by an e-mail it invited, in another process, through the identity file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'trello-ids-')), 'identities.json');
    const first = connect({}, undefined, new FileIdentityStore(file).forInstance('trello'));
    expect(await first.add('dana@example.org', {}, directAttempt())).toEqual({
      outcome: 'invited',
      role: 'normal',
    });
    const ghost = emulator.state.accounts.find((a) => a.email === 'dana@example.org')!;
    const store = new FileIdentityStore(file);
    expect(await store.list()).toEqual([
      { instance: 'trello', email: 'dana@example.org', id: ghost.id },
    ]);
    // A later command: a new process, a new map over the same file.
    const later = connect({}, undefined, new FileIdentityStore(file).forInstance('trello'));
    expect(await later.check('dana@example.org')).toEqual({ state: 'invited', role: 'normal' });
    expect(await later.remove('dana@example.org', {}, directAttempt())).toEqual({
      outcome: 'invitation-cancelled',
    });
    expect(acme().memberships.some((m) => m.idMember === ghost.id)).toBe(false);
    // orchester knows who dana@ is, so "not a member" is now true.
    expect(await later.remove('dana@example.org', {}, directAttempt())).toEqual({
      outcome: 'not-member',
    });
    expect(await later.check('dana@example.org')).toEqual({ state: 'absent' });
  });
});

describe('list', () => {
  it('yields every membership with its state, role and aliases; e-mails only where orchester invited', async () => {
    const trello = connect();
    await trello.add('dana@example.org', {}, directAttempt());
    const dana = emulator.state.accounts.find((a) => a.email === 'dana@example.org')!;
    const records = [];
    for await (const r of trello.list!()) records.push(r);
    expect(records.map((r) => [r.identifier, r.state, r.role])).toEqual([
      ['orchester_admin', 'member', 'admin'],
      ['ada', 'member', 'admin'],
      ['grace', 'member', 'normal'],
      ['linus', 'deactivated', 'normal'],
      ['margaret91650112', 'invited', 'normal'],
      ['ken', 'member', 'normal'],
      ['dana@example.org', 'invited', 'normal'],
    ]);
    expect(records[2]?.aliases).toEqual([idOf('grace')]);
    expect(records[6]?.aliases).toEqual([dana.username, dana.id]);
  });
});

describe('errors through the real client', () => {
  it('maps invalid token, invalid key and missing permission', async () => {
    const badToken = await failure(connect({ token: 'f'.repeat(64) }).check('grace'));
    expect([badToken.code, badToken.message]).toEqual([
      'ORCH_AUTHENTICATION',
      'Trello did not accept the token (invalid token); run "orchest generate trello" for a new one',
    ]);
    const badKey = await failure(connect({ api_key: 'e'.repeat(32) }).check('grace'));
    expect([badKey.code, badKey.message]).toEqual([
      'ORCH_AUTHENTICATION',
      'Trello did not accept the API key (invalid key); check api_key (https://trello.com/power-ups/admin)',
    ]);
    const readOnly = await failure(
      connect({ token: SANDBOX_READ_ONLY_TOKEN }).add('alan', { role: 'normal' }, directAttempt()),
    );
    expect(readOnly.code).toBe('ORCH_PERMISSION');
    expect(readOnly.message).toMatch(
      /^Trello refused: unauthorized permission requested\. The token needs scope read,write/,
    );
    const notAdmin = await failure(
      connect({ token: SANDBOX_NORMAL_TOKEN }).remove('grace', {}, directAttempt()),
    );
    expect(notAdmin.code).toBe('ORCH_PERMISSION');
    expect(membershipOf('grace')).toBeDefined();
  });

  it('maps an unknown workspace to a config error naming it', async () => {
    const error = await failure(connect({ organization: 'nope' }).check('grace'));
    expect([error.code, error.category]).toEqual(['ORCH_CONFIG', 'input']);
    expect(error.message).toMatch(/no workspace "nope"/);
  });

  it('maps "invalid id" on a membership to not found', async () => {
    const client = new TrelloClient({
      baseUrl: emulator.url,
      apiKey: SANDBOX_KEY,
      token: SANDBOX_TOKEN,
      timeoutMs: 5_000,
      http: createTestContext({ config: {} }).http,
    });
    const error = await failure(
      client.request({
        method: 'DELETE',
        route: '/1/organizations/{id}/members/{idMember}',
        params: { id: 'acme', idMember: 'not-an-id' },
        subject: 'membership',
        name: 'someone',
      }),
    );
    expect(error.code).toBe('ORCH_NOT_FOUND');
    expect(emulator.requests.at(-1)).toMatchObject({ status: 400, responseBody: 'invalid id' });
  });

  it('maps 429 with its JSON body to a rate-limit wait of one window', async () => {
    emulator.state.limits.perToken = 1;
    const trello = connect();
    await trello.check('grace');
    const error = await failure(trello.check('grace'));
    expect(error.code).toBe('ORCH_RATE_LIMITED');
    expect((error as unknown as { retryAfterMs: number }).retryAfterMs).toBe(10_000);
    const refused = emulator.requests.at(-1)!;
    expect(refused.responseBody).toEqual({
      error: 'API_TOKEN_LIMIT_EXCEEDED',
      message: 'Rate limit exceeded',
    });
    expect(refused.responseHeaders['x-rate-limit-api-token-remaining']).toBe('0');
  });

  it('maps 5xx, dropped connections and timeouts to transient errors', async () => {
    emulator.setFaults({ errorRate: 1 });
    expect((await failure(connect().check('grace'))).code).toBe('ORCH_TRANSIENT');
    emulator.setFaults({ dropRate: 1 });
    expect((await failure(connect().check('grace'))).message).toMatch(/^could not reach Trello/);
    emulator.setFaults({ timeoutRate: 1, timeoutMs: 5_000 });
    const started = Date.now();
    const timedOut = await failure(connect({ timeout_ms: 1_000 }).check('grace'));
    expect(timedOut.message).toBe('Trello did not answer within 1000 ms');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops a request in flight when the context aborts', async () => {
    emulator.setFaults({ latencyMs: 2_000 });
    const controller = new AbortController();
    const pending = failure(connect({}, controller.signal).check('grace'));
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    expect((await pending).code).toBe('ORCH_CANCELLED');
  });

  it('records every request by route template and status', async () => {
    const trello = connect();
    await trello.add('alan', { role: 'normal' }, directAttempt());
    await failure(trello.add('no_such_user', {}, directAttempt()));
    expect(seen[0]!.calls.map((c) => `${c.method} ${c.route} ${c.status}`)).toEqual([
      'GET /1/organizations/{id}/memberships 200',
      'PUT /1/organizations/{id}/members/{idMember} 200',
      'GET /1/organizations/{id}/memberships 200',
      'PUT /1/organizations/{id}/members/{idMember} 404',
    ]);
  });

  it('sends credentials only in the OAuth header; the emulator also takes them in the query', async () => {
    const viaQuery = await fetch(
      `${emulator.url}/1/members/me?key=${SANDBOX_KEY}&token=${SANDBOX_TOKEN}`,
    );
    expect(viaQuery.status).toBe(200);
    expect(((await viaQuery.json()) as { username: string }).username).toBe('orchester_admin');
    expect(emulator.requests.at(-1)?.query).toBe('key=%5Bredacted%5D&token=%5Bredacted%5D');
    emulator.clearRequests();
    await connect().check('grace');
    expect(emulator.requests.every((r) => r.query === 'filter=all&member=true')).toBe(true);
  });
});
