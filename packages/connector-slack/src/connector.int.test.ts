import {
  type ChangeResult,
  type CheckResult,
  type ConnectorInstance,
  OrchesterError,
} from '@orchester/core';
import { directAttempt } from '@orchester/core/testing';
import { type MembershipJob, runJobsInline } from '@orchester/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Captured,
  instanceFor,
  type Slack,
  specViolations,
  startSlack,
} from '../test/harness.js';
import type { SlackMode } from './config.js';
import slack from './index.js';
import {
  SANDBOX_APP,
  SANDBOX_CHANNELS,
  SANDBOX_TEAM,
  SANDBOX_TOKENS,
  SLACK_PLANS,
  type SlackPlan,
} from './sandbox/index.js';

let running: Slack | undefined;
const thrown: unknown[] = [];
let captured: Captured = { logs: [], calls: [] };

afterEach(async () => {
  // Whatever a test saw, no secret may be in any error, log line, recorded call or request log entry.
  if (running) {
    const seen = JSON.stringify([
      thrown.map((e) =>
        e instanceof OrchesterError ? { ...e.toJSON(), stack: e.stack } : String(e),
      ),
      captured,
      running.requests,
    ]);
    for (const secret of [...Object.values(SANDBOX_TOKENS), SANDBOX_APP.clientSecret])
      expect(seen).not.toContain(secret);
    const { violations } = specViolations(running.requests);
    expect(violations).toEqual([]);
    await running.close();
  }
  running = undefined;
  thrown.length = 0;
  captured = { logs: [], calls: [] };
});

const BLOCKS: Record<SlackMode, Record<string, unknown>> = {
  admin: {
    mode: 'admin',
    token: SANDBOX_TOKENS.bot,
    admin_token: SANDBOX_TOKENS.orgAdmin,
    team_id: SANDBOX_TEAM.id,
    channel_ids: [SANDBOX_CHANNELS.general],
  },
  scim: { mode: 'scim', token: SANDBOX_TOKENS.bot, admin_token: SANDBOX_TOKENS.scim },
  // The seed's keys alone: no `mode`, which then defaults to legacy.
  legacy: { token: SANDBOX_TOKENS.bot, legacy_token: SANDBOX_TOKENS.legacy },
};

const email = (raw: string) => slack.identifierSchema.parse(raw);

async function open(
  seed: string,
  block: Record<string, unknown>,
): Promise<ConnectorInstance<string>> {
  running ??= await startSlack(seed);
  return instanceFor(running, block, captured);
}

async function failure(promise: Promise<unknown>): Promise<OrchesterError> {
  try {
    await promise;
  } catch (error) {
    thrown.push(error);
    if (error instanceof OrchesterError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

/** Which mode works on which plan, per Slack's plans. */
const WORKS: Record<SlackMode, readonly SlackPlan[]> = {
  admin: ['enterprise'],
  scim: ['business+', 'enterprise'],
  legacy: ['free', 'pro', 'business+', 'enterprise'],
};
const NEW_PERSON: Record<SlackMode, ChangeResult['outcome']> = {
  admin: 'invited',
  scim: 'added',
  legacy: 'invited',
};
const AFTER_ADD: Record<SlackMode, CheckResult['state']> = {
  admin: 'invited',
  scim: 'member',
  legacy: 'invited',
};

describe.each(Object.keys(BLOCKS) as SlackMode[])('mode %s', (mode) => {
  for (const plan of SLACK_PLANS) {
    const works = WORKS[mode].includes(plan);
    const removalWorks = works && !(mode === 'legacy' && plan === 'free');

    it(`on ${plan}: ${works ? 'checks, adds, reactivates and removes' : 'says the plan cannot add people'}`, async () => {
      const s = await open(plan, BLOCKS[mode]);
      // users.lookupByEmail finds active people and invitations on every plan.
      expect(await s.check(email('ADA@EXAMPLE.COM'))).toMatchObject({ state: 'member' });
      expect(await s.check(email('ivan@example.com'))).toMatchObject({ state: 'invited' });
      if (works) {
        // Deactivated accounts, which users.lookupByEmail hides, come from the mode's own listing.
        expect(await s.check(email('grace@example.com'))).toMatchObject({ state: 'deactivated' });
        expect(await s.check(email('nobody@example.com'))).toEqual({ state: 'absent' });
      } else {
        // Without the mode's listing, absent and deactivated cannot be told apart: no guess.
        const unknown = await failure(s.check(email('grace@example.com')));
        expect(unknown.code).toBe('ORCH_UNSUPPORTED');
        expect(unknown.message).toContain(`mode "${mode}"`);
      }

      if (!works) {
        const error = await failure(s.add(email('new@example.com'), {}, directAttempt()));
        expect(error.code).toBe('ORCH_UNSUPPORTED');
        expect(error.message).toContain(`mode "${mode}"`);
        expect(error.message).toMatch(mode === 'admin' ? /Enterprise Grid/ : /Business\+/);
        return;
      }

      expect(
        await s.add(email('New.Person@Example.com'), { fullName: 'New Person' }, directAttempt()),
      ).toMatchObject({
        outcome: NEW_PERSON[mode],
      });
      expect(await s.check(email('new.person@example.com'))).toMatchObject({
        state: AFTER_ADD[mode],
      });
      // A second delivery of the same job changes nothing.
      expect((await s.add(email('new.person@example.com'), {}, directAttempt())).outcome).toBe(
        AFTER_ADD[mode] === 'member' ? 'already-member' : 'already-invited',
      );
      expect(await s.add(email('ada@example.com'), {}, directAttempt())).toMatchObject({
        outcome: 'already-member',
      });

      if (!removalWorks) {
        const error = await failure(s.remove(email('mona@example.com'), {}, directAttempt()));
        expect(error.code).toBe('ORCH_UNSUPPORTED');
        expect(error.message).toMatch(/paid plan/);
        expect(error.message).toContain('"scim"');
        expect(await s.check(email('mona@example.com'))).toMatchObject({ state: 'member' });
        return;
      }

      expect(await s.add(email('grace@example.com'), {}, directAttempt())).toMatchObject({
        outcome: 'reactivated',
      });
      expect(await s.check(email('grace@example.com'))).toMatchObject({ state: 'member' });
      expect(await s.remove(email('Mona@example.com'), {}, directAttempt())).toMatchObject({
        outcome: 'removed',
      });
      expect(await s.check(email('mona@example.com'))).toMatchObject({ state: 'deactivated' });
      expect(await s.remove(email('mona@example.com'), {}, directAttempt())).toMatchObject({
        outcome: 'not-member',
      });
      expect(await s.remove(email('nobody@example.com'), {}, directAttempt())).toMatchObject({
        outcome: 'not-member',
      });
      expect(await s.add(email('mona@example.com'), {}, directAttempt())).toMatchObject({
        outcome: 'reactivated',
      });
      if (mode !== 'scim') {
        // SCIM does not manage pending invitations; the Web API doors cancel them.
        expect(await s.remove(email('ivan@example.com'), {}, directAttempt())).toMatchObject({
          outcome: 'invitation-cancelled',
        });
        expect(await s.check(email('ivan@example.com'))).toEqual({ state: 'absent' });
      }
    });
  }
});

describe('list', () => {
  it.each(['admin', 'scim', 'legacy'] as const)(
    '%s mode reads every page and skips bots and deactivated people',
    async (mode) => {
      const s = await open('large', BLOCKS[mode]);
      const state = running!.state;
      // A bot that has an e-mail is still no member.
      const bot = state.users.find((u) => u.isBot)!;
      bot.email = 'bot@example.com';
      const listed = [];
      for await (const record of s.list!()) listed.push(record);
      const people = state.users.filter(
        (u) => !u.isBot && !u.deleted && u.email && (mode !== 'scim' || !u.invited),
      );
      expect(listed.map((r) => r.identifier).sort()).toEqual(
        people.map((u) => u.email!.toLowerCase()).sort(),
      );
      // Each with the name Slack shows: users.list's real_name, SCIM's displayName.
      const realName = new Map(people.map((u) => [u.email!.toLowerCase(), u.realName]));
      expect(listed.filter((r) => r.name !== realName.get(r.identifier))).toEqual([]);
      expect(
        listed.some(
          (r) => r.identifier === 'bot@example.com' || r.identifier === 'grace@example.com',
        ),
      ).toBe(false);
      expect(await s.check(email('bot@example.com'))).toEqual({ state: 'absent' });
      const pages = running!.requests.filter(
        (r) => r.path === (mode === 'scim' ? '/scim/v2/Users' : '/api/users.list'),
      );
      expect(pages.length).toBeGreaterThan(1);
    },
  );
});

describe('deactivated accounts', () => {
  const job = (action: MembershipJob['action'], who: string): MembershipJob => ({
    instance: 'slack-test',
    action,
    identifier: `${who}@example.com`,
    options: {},
    batchId: 'b1',
  });
  const run = (s: ConnectorInstance<string>, jobs: MembershipJob[]) =>
    runJobsInline('b1', jobs, {
      resolver: { connectorOf: async () => slack, instance: async () => s },
      limitsFor: async () => ({ concurrency: 2 }),
      policy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, jitter: 0, maxRateLimitWaits: 10 },
    });
  const paths = () => running!.requests.map((r) => r.path);

  it('admin mode reads them once for the jobs of an instance: a new person costs one call', async () => {
    const s = await open('enterprise', BLOCKS.admin);
    const people = Array.from({ length: 12 }, (_, i) => `new${i}`);
    const report = await run(s, [...people.map((p) => job('add', p)), job('add', 'grace')]);
    expect(report.jobs.map((j) => [j.identifier, j.outcome])).toEqual([
      ...people.map((p) => [`${p}@example.com`, 'invited']),
      ['grace@example.com', 'reactivated'],
    ]);
    expect(paths().filter((p) => p === '/api/admin.users.list')).toHaveLength(1);
    expect(paths().filter((p) => p === '/api/admin.users.invite')).toHaveLength(12);
    expect(paths().filter((p) => p === '/api/admin.users.assign')).toHaveLength(1);
    expect(running!.requests).toHaveLength(14);
    // A removal is noted in the reading: the check after it says deactivated, with no new listing.
    expect(await s.remove(email('mona@example.com'), {}, directAttempt())).toMatchObject({
      outcome: 'removed',
    });
    expect(await s.check(email('mona@example.com'))).toMatchObject({ state: 'deactivated' });
    expect(paths().filter((p) => p === '/api/admin.users.list')).toHaveLength(1);
  });

  it.each(['admin', 'legacy'] as const)(
    '%s mode: someone deactivated outside orchester since the reading is reactivated, not invited',
    async (mode) => {
      const s = await open('enterprise', BLOCKS[mode]);
      expect(await s.check(email('ada@example.com'))).toMatchObject({ state: 'member' });
      expect(await s.check(email('nobody@example.com'))).toEqual({ state: 'absent' });
      // An admin deactivates Ada in Slack itself.
      running!.state.users.find((u) => u.id === 'U0ADA00001')!.deleted = true;
      const invite = mode === 'admin' ? '/api/admin.users.invite' : '/api/users.admin.invite';
      const attempt = directAttempt();
      expect(await s.add(email('ada@example.com'), {}, attempt)).toMatchObject({
        outcome: 'reactivated',
      });
      expect(attempt.sent).toEqual(['invited', 'reactivated']);
      expect(running!.requests.find((r) => r.path === invite)?.responseBody).toMatchObject({
        ok: false,
        error: 'user_disabled',
      });
      expect(running!.state.users.find((u) => u.id === 'U0ADA00001')?.deleted).toBe(false);
      expect(await s.check(email('ada@example.com'))).toMatchObject({ state: 'member' });
    },
  );

  it('legacy mode reads users.list within its tier: a page refused with 429 is asked for again, not the listing', async () => {
    const s = await open('large', BLOCKS.legacy);
    const state = running!.state;
    state.users.at(-1)!.deleted = true;
    // Two pages per 4 s window: the listing of three pages meets a 429 and waits it out.
    state.limits = { ...state.limits, tier2: 2, windowMs: 4000 };
    const report = await run(s, [job('check', 'person0449')]);
    expect(report.jobs[0]).toMatchObject({ status: 'succeeded', state: 'deactivated' });
    const pages = running!.requests.filter((r) => r.path === '/api/users.list');
    expect(pages.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    // Each page was read once.
    expect(pages.filter((r) => r.status === 200)).toHaveLength(Math.ceil(state.users.length / 200));
  });

  it("an answer that says nothing changed is never reported as orchester's change on a retry", async () => {
    const s = await open('enterprise', {
      ...BLOCKS.admin,
      channels: [SANDBOX_CHANNELS.onboarding],
    });
    // Ada is a member: the invitation changes nothing; the channel step then fails once.
    running!.setFaults({ errorRate: 1, pathPattern: 'conversations\\.invite' });
    const report = await runJobsInline('b1', [job('add', 'ada')], {
      resolver: { connectorOf: async () => slack, instance: async () => s },
      limitsFor: async () => ({ concurrency: 1 }),
      policy: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, jitter: 0, maxRateLimitWaits: 10 },
      onAttemptFailed: () => running!.setFaults({}),
    });
    expect(report.jobs[0]).toMatchObject({
      status: 'succeeded',
      outcome: 'already-member',
      attempts: 2,
    });
    expect(report.jobs[0]?.confirmedOnRetry).toBeUndefined();
  });
});

describe('channels', () => {
  it('invites added people to the configured channels and kicks them on removal in admin mode', async () => {
    const s = await open('enterprise', {
      ...BLOCKS.admin,
      channels: [SANDBOX_CHANNELS.onboarding],
    });
    const members = () =>
      running!.state.channels.find((c) => c.id === SANDBOX_CHANNELS.onboarding)!.members;
    expect(await s.add(email('grace@example.com'), {}, directAttempt())).toMatchObject({
      outcome: 'reactivated',
    });
    expect(members()).toContain('U0GRACE001');
    // Already a member: the channel step still runs, and "already_in_channel" is fine.
    expect(await s.add(email('ada@example.com'), {}, directAttempt())).toMatchObject({
      outcome: 'already-member',
    });
    expect(await s.remove(email('ada@example.com'), {}, directAttempt())).toMatchObject({
      outcome: 'removed',
    });
    expect(members()).not.toContain('U0ADA00001');
    const kicks = running!.requests.filter((r) => r.path === '/api/conversations.kick');
    expect(kicks).toHaveLength(1);
  });

  it('invites SCIM-created accounts to the channels', async () => {
    const s = await open('business+', { ...BLOCKS.scim, channels: [SANDBOX_CHANNELS.onboarding] });
    expect(await s.add(email('zoe@example.com'), {}, directAttempt())).toMatchObject({
      outcome: 'added',
    });
    const zoe = running!.state.users.find((u) => u.email === 'zoe@example.com')!;
    expect(
      running!.state.channels.find((c) => c.id === SANDBOX_CHANNELS.onboarding)!.members,
    ).toContain(zoe.id);
  });

  it("per-person channels join those instead of config's, and leaveChannels kicks from others", async () => {
    const s = await open('enterprise', { ...BLOCKS.admin, channels: [SANDBOX_CHANNELS.general] });
    const members = (id: string) => running!.state.channels.find((c) => c.id === id)!.members;
    const answer = await s.add(
      email('mona@example.com'),
      { channels: [SANDBOX_CHANNELS.onboarding] },
      directAttempt(),
    );
    expect(answer).toMatchObject({
      outcome: 'already-member',
      detail: `channels: ${SANDBOX_CHANNELS.onboarding}`,
    });
    expect(members(SANDBOX_CHANNELS.onboarding)).toContain('U0MEMBER01');
    const left = await s.add(
      email('ada@example.com'),
      { channels: [], leaveChannels: [SANDBOX_CHANNELS.onboarding] },
      directAttempt(),
    );
    expect(left.detail).toBe(`left channels: ${SANDBOX_CHANNELS.onboarding}`);
    expect(members(SANDBOX_CHANNELS.onboarding)).not.toContain('U0ADA00001');
    // #general was not asked for: nobody was invited there again.
    const invites = running!.requests.filter((r) => r.path === '/api/conversations.invite');
    expect(invites.map((r) => (r.requestBody as { channel: string }).channel)).toEqual([
      SANDBOX_CHANNELS.onboarding,
    ]);
  });

  it("an admin-mode invitation names config's channel_ids and the person's own channels", async () => {
    const s = await open('enterprise', BLOCKS.admin);
    expect(
      await s.add(
        email('newbie@example.com'),
        { channels: [SANDBOX_CHANNELS.onboarding] },
        directAttempt(),
      ),
    ).toMatchObject({ outcome: 'invited' });
    const invite = running!.requests.find((r) => r.path === '/api/admin.users.invite');
    expect((invite!.requestBody as { channel_ids: string }).channel_ids).toBe(
      `${SANDBOX_CHANNELS.general},${SANDBOX_CHANNELS.onboarding}`,
    );
  });

  it('list reads the channels asked for with conversations.members, page by page', async () => {
    const s = await open('enterprise', BLOCKS.admin);
    const records = [];
    for await (const r of s.list!({
      groups: [SANDBOX_CHANNELS.general, SANDBOX_CHANNELS.onboarding],
    })) {
      records.push(r);
    }
    const ada = records.find((r) => r.identifier === 'ada@example.com');
    const mona = records.find((r) => r.identifier === 'mona@example.com');
    expect(ada?.groups).toEqual([
      { group: SANDBOX_CHANNELS.general },
      { group: SANDBOX_CHANNELS.onboarding },
    ]);
    expect(mona?.groups).toEqual([{ group: SANDBOX_CHANNELS.general }]);
    const reads = running!.requests.filter((r) => r.path === '/api/conversations.members');
    expect(reads).toHaveLength(2);
    // Without groups asked for, no channel is read and records carry none.
    running!.clearRequests();
    for await (const r of s.list!()) expect(r.groups).toBeUndefined();
    expect(running!.requests.some((r) => r.path === '/api/conversations.members')).toBe(false);
  });

  it('pages through a large channel 200 IDs at a time', async () => {
    const s = await open('large', BLOCKS.admin);
    let inGeneral = 0;
    for await (const r of s.list!({ groups: [SANDBOX_CHANNELS.general] })) {
      if (r.groups?.some((g) => g.group === SANDBOX_CHANNELS.general)) inGeneral += 1;
    }
    const general = running!.state.channels.find((c) => c.id === SANDBOX_CHANNELS.general)!;
    const people = general.members.filter((id) =>
      running!.state.users.some((u) => u.id === id && !u.isBot && !u.invited && u.email),
    );
    expect(inGeneral).toBe(people.length);
    const reads = running!.requests.filter((r) => r.path === '/api/conversations.members');
    expect(reads).toHaveLength(Math.ceil(general.members.length / 200));
    expect(reads.length).toBeGreaterThan(1);
  });

  it('a private channel the bot is not in cannot be read: a config error naming "channels"', async () => {
    const s = await open('enterprise', BLOCKS.admin);
    const error = await failure(
      (async () => {
        for await (const _ of s.list!({ groups: [SANDBOX_CHANNELS.secret] })) {
          // drain
        }
      })(),
    );
    expect(error.code).toBe('ORCH_CONFIG');
    expect(error.message).toContain('"channels"');
  });

  it('names the key when a configured channel does not exist', async () => {
    const s = await open('enterprise', { ...BLOCKS.admin, channels: ['C0MISSING1'] });
    const error = await failure(s.add(email('grace@example.com'), {}, directAttempt()));
    expect(error.code).toBe('ORCH_CONFIG');
    expect(error.message).toContain('"channels"');
  });
});

describe('errors', () => {
  it('maps rejected tokens to authentication errors that name the key', async () => {
    const revoked = await open('enterprise', { ...BLOCKS.admin, token: SANDBOX_TOKENS.revoked });
    const error = await failure(revoked.check(email('ada@example.com')));
    expect(error.code).toBe('ORCH_AUTHENTICATION');
    expect(error.message).toContain('"token"');
    const unknown = await instanceFor(
      running!,
      { ...BLOCKS.admin, token: 'xoxb-not-a-real-token-123' },
      captured,
    );
    expect((await failure(unknown.check(email('ada@example.com')))).code).toBe(
      'ORCH_AUTHENTICATION',
    );
    const scim = await instanceFor(
      running!,
      { ...BLOCKS.scim, admin_token: 'xoxp-not-a-scim-token-123' },
      captured,
    );
    const scimError = await failure(scim.add(email('new@example.com'), {}, directAttempt()));
    expect(scimError.code).toBe('ORCH_AUTHENTICATION');
    expect(scimError.message).toContain('"admin_token"');
  });

  it('maps missing scopes and missing admin rights to permission errors', async () => {
    const s = await open('enterprise', { ...BLOCKS.admin, token: SANDBOX_TOKENS.botNoEmail });
    const scope = await failure(s.check(email('ada@example.com')));
    expect(scope.code).toBe('ORCH_PERMISSION');
    expect(scope.message).toContain('users:read.email');
    const member = await instanceFor(
      running!,
      { ...BLOCKS.admin, admin_token: SANDBOX_TOKENS.orgMember },
      captured,
    );
    // Each admin method answers its own error to a caller without admin rights.
    const invite = await failure(member.add(email('new@example.com'), {}, directAttempt()));
    expect(invite).toMatchObject({ code: 'ORCH_PERMISSION' });
    expect(invite.message).toContain('failed_to_validate_caller');
    const remove = await failure(member.remove(email('mona@example.com'), {}, directAttempt()));
    expect(remove).toMatchObject({ code: 'ORCH_PERMISSION' });
    expect(remove.message).toContain('invalid_permissions');
    // A deactivated account is reactivated with admin.users.assign.
    const assign = await failure(member.add(email('grace@example.com'), {}, directAttempt()));
    expect(assign).toMatchObject({ code: 'ORCH_PERMISSION' });
    expect(assign.message).toContain('not_an_admin to admin.users.assign');
    const scim = await instanceFor(
      running!,
      { ...BLOCKS.scim, admin_token: SANDBOX_TOKENS.orgMember },
      captured,
    );
    expect((await failure(scim.add(email('new@example.com'), {}, directAttempt()))).code).toBe(
      'ORCH_PERMISSION',
    );
  });

  it('maps a wrong team_id to a config error and the primary owner to a conflict', async () => {
    const s = await open('enterprise', { ...BLOCKS.admin, team_id: 'T0ELSEWHERE' });
    const error = await failure(s.add(email('new@example.com'), {}, directAttempt()));
    expect(error.code).toBe('ORCH_CONFIG');
    expect(error.message).toContain('"team_id"');
    const admin = await instanceFor(running!, BLOCKS.admin, captured);
    expect(
      (await failure(admin.remove(email('olive@example.com'), {}, directAttempt()))).code,
    ).toBe('ORCH_CONFLICT');
  });

  it('reports a SCIM user-name clash as a conflict, not as a member', async () => {
    const s = await open('business+', BLOCKS.scim);
    // mona@other.org would get the user name "mona", which mona@example.com has.
    const error = await failure(s.add(email('mona@other.org'), {}, directAttempt()));
    expect(error.code).toBe('ORCH_CONFLICT');
    expect(error.message).toContain('"mona"');
    expect(await s.check(email('mona@other.org'))).toEqual({ state: 'absent' });
  });

  it('turns 429 into RateLimitedError with the Retry-After of the answer', async () => {
    const s = await open('enterprise', BLOCKS.admin);
    running!.state.limits.tier3 = 1;
    await s.check(email('ada@example.com'));
    const error = await failure(s.check(email('ada@example.com')));
    expect(error.code).toBe('ORCH_RATE_LIMITED');
    const answer = running!.requests.at(-1)!;
    expect(answer.status).toBe(429);
    expect((error as OrchesterError & { retryAfterMs: number }).retryAfterMs).toBe(
      Number(answer.responseHeaders['retry-after']) * 1000,
    );
    expect(error.retryable).toBe(true);
  });

  it('turns SCIM 429 into RateLimitedError too', async () => {
    const s = await open('business+', BLOCKS.scim);
    running!.state.limits.scimRead = 0;
    const error = await failure(s.add(email('new@example.com'), {}, directAttempt()));
    expect(error.code).toBe('ORCH_RATE_LIMITED');
    expect(
      (error as OrchesterError & { retryAfterMs: number }).retryAfterMs,
    ).toBeGreaterThanOrEqual(1000);
  });

  it('turns 5xx and dropped connections into transient errors', async () => {
    const s = await open('enterprise', BLOCKS.admin);
    running!.setFaults({ errorRate: 1 });
    const http = await failure(s.check(email('ada@example.com')));
    expect(http.code).toBe('ORCH_TRANSIENT');
    running!.setFaults({ dropRate: 1 });
    expect((await failure(s.check(email('ada@example.com')))).code).toBe('ORCH_TRANSIENT');
    const scim = await instanceFor(running!, BLOCKS.scim, captured);
    running!.setFaults({ errorRate: 1 });
    expect((await failure(scim.add(email('new@example.com'), {}, directAttempt()))).code).toBe(
      'ORCH_TRANSIENT',
    );
    running!.setFaults({});
  });

  it('refuses e-mails Slack would refuse before any request', () => {
    expect(slack.identifierSchema.safeParse('not-an-email').success).toBe(false);
    expect(email('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});

describe('calls', () => {
  it('reports each request with its route template and status, never the e-mail', async () => {
    const s = await open('business+', BLOCKS.scim);
    await s.check(email('ada@example.com'));
    await s.remove(email('mona@example.com'), {}, directAttempt());
    await s.add(email('zoe@example.com'), {}, directAttempt());
    expect(captured.calls.map((c) => [c.method, c.route, c.status])).toEqual([
      ['POST', '/api/users.lookupByEmail', 200],
      ['GET', '/scim/v2/Users', 200],
      ['DELETE', '/scim/v2/Users/{id}', 204],
      // A new person: one SCIM look-up and the write.
      ['GET', '/scim/v2/Users', 200],
      ['POST', '/scim/v2/Users', 201],
    ]);
    expect(JSON.stringify(captured.calls)).not.toMatch(/example\.com|U0MEMBER01/);
  });

  it('lets the inline runner wait out 429s: a burst over the tier limit still succeeds', async () => {
    const s = await open('enterprise', BLOCKS.admin);
    running!.state.limits = { ...running!.state.limits, tier3: 3, windowMs: 1000 };
    const jobs: MembershipJob[] = ['ada', 'mona', 'olive', 'ivan', 'grace', 'nobody'].map(
      (who) => ({
        instance: 'slack-test',
        action: 'check',
        identifier: `${who}@example.com`,
        options: {},
        batchId: 'b1',
      }),
    );
    const report = await runJobsInline('b1', jobs, {
      resolver: { connectorOf: async () => slack, instance: async () => s },
      limitsFor: async () => ({ concurrency: 2 }),
    });
    expect(report.totals).toMatchObject({ succeeded: 6, failed: 0 });
    expect(running!.requests.some((r) => r.status === 429)).toBe(true);
    expect(report.jobs.find((j) => j.identifier === 'grace@example.com')?.state).toBe(
      'deactivated',
    );
  });
});

describe('verify', () => {
  it.each(['admin', 'scim', 'legacy'] as const)(
    '%s mode: passes with the seed tokens and names a revoked one',
    async (mode) => {
      const good = await open('enterprise', BLOCKS[mode]);
      await expect(good.verify?.()).resolves.toBeUndefined();
      const tokenKey = mode === 'legacy' ? 'legacy_token' : 'admin_token';
      const revoked = await open('enterprise', {
        ...BLOCKS[mode],
        [tokenKey]: 'xoxp-0000000000-revokedRevokedRevoked',
      });
      const error = await failure(revoked.verify?.() ?? Promise.resolve());
      expect(error.code).toBe('ORCH_AUTHENTICATION');
      expect(error.message).toContain(tokenKey);
    },
  );
});
