// A whole connector on the kit: Teamhub, a made-up REST service of groups and members.
// The README of @orchester/core shows this file; teamhub.int.test.ts runs it.
import { defineConnector, paginateByLink } from '@orchester/core';
import { z } from 'zod';

interface Member {
  readonly user: string;
  readonly role: string;
}

export const teamhubConnector = defineConnector({
  id: 'teamhub',
  displayName: 'Teamhub',
  configSchema: z.object({ group: z.string().min(1), token: z.string().min(1) }),
  identifierSchema: z.string().regex(/^[a-z0-9-]{1,39}$/, 'lower-case letters, digits, dashes'),
  identifierHint: 'a Teamhub user name',
  secretPatterns: [/\bth_[A-Za-z0-9]{16,}\b/g],
  capabilities: {
    actions: ['check', 'add', 'remove'],
    roles: ['member', 'owner'],
    list: true,
    serialWrites: false,
  },
  limits: { concurrency: 4, rate: { max: 60, durationMs: 60_000 } },
  create({ config, http, baseUrl }) {
    // Timeout, abort, recordCall with route templates, status -> error, Retry-After: the kit's.
    const api = http.with({
      service: 'Teamhub',
      baseUrl: baseUrl ?? 'https://api.teamhub.example',
      headers: { authorization: `Bearer ${config.token}` },
      timeoutMs: 10_000,
    });
    const member = (user: string) => ({
      route: '/groups/{group}/members/{user}',
      params: { group: config.group, user },
    });
    const current = async (user: string) => {
      const answer = await api.request<Member>({
        ...member(user),
        accept: [404],
        doing: `checking ${user}`,
      });
      return answer.status === 404 ? undefined : answer.data;
    };
    return {
      async check(user) {
        const found = await current(user);
        return found ? { state: 'member', role: found.role } : { state: 'absent' };
      },
      async add(user, options, attempt) {
        const found = await current(user);
        if (found) return { outcome: 'already-member', role: found.role };
        const role = options.role ?? 'member';
        await attempt.change('added', () =>
          api.request({ ...member(user), method: 'PUT', body: { role }, doing: `adding ${user}` }),
        );
        return { outcome: 'added', role };
      },
      async remove(user, _options, attempt) {
        if (!(await current(user))) return { outcome: 'not-member' };
        await attempt.change('removed', () =>
          api.request({ ...member(user), method: 'DELETE', doing: `removing ${user}` }),
        );
        return { outcome: 'removed' };
      },
      async *list() {
        const pages = paginateByLink(async (url) => {
          const page = await api.request<Member[]>({
            route: '/groups/{group}/members',
            params: { group: config.group },
            query: { per_page: 2 },
            ...(url ? { url } : {}),
          });
          return { items: page.data, headers: page.headers };
        });
        for await (const m of pages) yield { identifier: m.user, state: 'member', role: m.role };
      },
      async verify() {
        await api.request({ route: '/groups/{group}', params: { group: config.group } });
      },
    };
  },
});
