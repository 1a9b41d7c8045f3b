// The kit end to end: a connector written on it passes the conformance suite against an
// emulator written on the sandbox toolkit; and the suite fails connectors that break its rules.
import { type AnyConnector, type ChangeAttempt, InternalError } from '@orchester/core';
import { createTestContext, describeConformance, directAttempt } from '@orchester/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { teamhubConnector } from './teamhub-connector.js';
import { teamhubEmulator } from './teamhub-emulator.js';

const options = (connector: AnyConnector) => ({
  connector,
  start: () => teamhubEmulator.start({ seed: 'demo' }),
  newcomer: 'carol',
  member: 'bob',
  keepsRole: { identifier: 'ada', role: 'owner' },
  wrongCredentials: { token: 'th_revokedRevokedRevoked00' },
  identifiers: ['acme'],
});

describeConformance({ describe, it }, options(teamhubConnector));

describe('the Teamhub example', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('lists every member through Link-header pages, recording route templates', async () => {
    const emulator = await teamhubEmulator.start();
    close = () => emulator.close();
    const context = createTestContext({
      config: teamhubConnector.configSchema.parse(emulator.configBlock()),
      baseUrl: emulator.url,
    });
    const instance = await teamhubConnector.create(context);
    const listed = [];
    for await (const record of instance.list?.() ?? []) listed.push(record.identifier);
    expect(listed).toEqual(['ada', 'bob', 'dan']);
    expect(context.calls.map((c) => [c.method, c.route, c.status])).toEqual([
      ['GET', '/groups/{group}/members', 200],
      ['GET', '/groups/{group}/members', 200],
    ]);
    expect(await instance.add('erin', { role: 'owner' }, directAttempt())).toEqual({
      outcome: 'added',
      role: 'owner',
    });
  });
});

/** Runs the suite's checks against `connector`, answering which of them failed. */
async function failedChecks(connector: AnyConnector): Promise<string[]> {
  const checks: Array<{ name: string; body: () => Promise<void> }> = [];
  describeConformance(
    { describe: (_name, body) => body(), it: (name, body) => checks.push({ name, body }) },
    options(connector),
  );
  const failed: string[] = [];
  for (const check of checks) await check.body().catch(() => failed.push(check.name));
  return failed;
}

describe('the conformance suite fails a connector that', () => {
  it('records URLs, with identifiers, as routes', async () => {
    // Routes come from the kit's `http`, not from `recordCall`: the leak has to be in `http`.
    const leaking = {
      ...teamhubConnector,
      create: (context: Parameters<typeof teamhubConnector.create>[0]) =>
        teamhubConnector.create({
          ...context,
          http: {
            ...context.http,
            with: (o) => {
              const inner = context.http.with(o);
              return {
                ...inner,
                request: async (req) => {
                  const answer = await inner.request(req);
                  context.recordCall({
                    method: req.method ?? 'GET',
                    route: `/groups/acme/members/${String(req.params?.user ?? '')}`,
                    status: answer.status,
                    durationMs: 0,
                  });
                  return answer;
                },
              } as typeof inner;
            },
          },
        }),
    } as AnyConnector;
    expect(await failedChecks(leaking)).toContain(
      'no secret in any output, and every route a template without identifiers',
    );
  });

  it('throws other errors than the kit says: each error check fails', async () => {
    const careless = {
      ...teamhubConnector,
      async create(context: Parameters<typeof teamhubConnector.create>[0]) {
        const instance = await teamhubConnector.create(context);
        return {
          ...instance,
          check: (user: string) =>
            instance.check(user).catch((error: unknown) => {
              throw new InternalError(`failed: ${String(error)}`);
            }),
        };
      },
    } as AnyConnector;
    expect(await failedChecks(careless)).toEqual([
      'wrong credentials: AuthenticationError, not retried',
      'a 5xx and a dropped connection: TransientError, retried',
      'Retry-After honoured: a rate-limited answer waits as long as the service asks',
      'stopped by orchester: CancelledError',
    ]);
  });

  it('checks for a member before writing: the idempotence, role and replay checks fail', async () => {
    const blind = {
      ...teamhubConnector,
      async create(context: Parameters<typeof teamhubConnector.create>[0]) {
        const instance = await teamhubConnector.create(context);
        const http = context.http.with({
          service: 'Teamhub',
          baseUrl: context.baseUrl ?? '',
          headers: { authorization: `Bearer ${(context.config as { token: string }).token}` },
        });
        return {
          ...instance,
          add: async (user: string, _options: unknown, attempt: ChangeAttempt) => {
            await attempt.change('added', () =>
              http.request({
                route: '/groups/{group}/members/{user}',
                params: { group: 'acme', user },
                method: 'PUT',
                body: { role: 'member' },
              }),
            );
            return { outcome: 'added' as const, role: 'member' };
          },
        };
      },
    } as AnyConnector;
    expect(await failedChecks(blind)).toEqual([
      'add is idempotent: a second add changes nothing and says already-*',
      'a bare add leaves someone already there with their role, and changes nothing',
      'a lost answer: the write fails retryable, and the replay finds it done without writing again',
    ]);
  });
});
