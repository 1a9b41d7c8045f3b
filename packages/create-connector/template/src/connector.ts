import {
  ConfigError,
  defineConnector,
  type HttpRequest,
  NotFoundError,
  paginateByLink,
} from '@orchester/core';
import {
  ACCESS_LEVELS,
  configSchema,
  DEFAULT_ROLE,
  identifierSchema,
  optionsSchema,
  ROLES,
  type Role,
  roleOf,
} from './config.js';
import { failureOf } from './errors.js';

/** The service's public API; `base_url` in config (or `orchest sandbox`) points elsewhere. */
export const DEFAULT_BASE_URL = 'https://__ID__.example.com/api/v4';

type User = { readonly id: number; readonly username: string };
type Member = User & { readonly access_level: number };

/** The __DISPLAY__ connector: people in one group, by username. */
export const connector = defineConnector({
  id: '__ID__',
  displayName: '__DISPLAY__',
  configSchema,
  identifierSchema,
  identifierHint: 'a __DISPLAY__ username',
  optionsSchema,
  capabilities: {
    actions: ['check', 'add', 'remove'],
    roles: ROLES,
    defaultRole: DEFAULT_ROLE,
    list: true,
    serialWrites: false,
  },
  // Set below the service's published limit: a job makes at most 3 requests.
  limits: { concurrency: 4, rate: { max: 100, durationMs: 60_000 } },

  create({ config, http, baseUrl }) {
    // The kit does timeouts, aborts, recordCall, status -> error, Retry-After, lost connections.
    const service = http.with({
      service: '__DISPLAY__',
      baseUrl: baseUrl ?? DEFAULT_BASE_URL,
      headers: { authorization: `Bearer ${config.token}` },
      timeoutMs: 30_000,
    });
    // The refusals that need this service's advice are errors.ts's; the kit maps the rest.
    const request = <T>(r: HttpRequest) => service.request<T>({ failure: failureOf, ...r });
    const group = config.group;

    /** The account's id, or undefined when the service has no such user. */
    async function userId(username: string): Promise<number | undefined> {
      const { data } = await request<User[]>({
        route: '/users',
        query: { username },
        doing: `looking up ${username}`,
      });
      return data.find((u) => u.username.toLowerCase() === username)?.id;
    }

    /** The membership of an account in the group, or undefined. */
    async function membership(id: number, username: string): Promise<Member | undefined> {
      const answer = await request<Member>({
        route: '/groups/{group}/members/{user_id}',
        params: { group, user_id: id },
        doing: `checking ${username} in ${group}`,
        accept: [404],
      });
      return answer.status === 404 ? undefined : answer.data;
    }

    return {
      /** One cheap read that proves the token and the group: `orchest connectors` runs it. */
      async verify() {
        try {
          await request({ route: '/groups/{group}', params: { group }, doing: `reading ${group}` });
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          throw new ConfigError(
            `group "${group}" does not exist, or the token cannot see it; fix "group" in config`,
          );
        }
      },

      async check(username) {
        const id = await userId(username);
        if (id === undefined) return { state: 'absent', detail: 'no such user' };
        const member = await membership(id, username);
        return member
          ? { state: 'member', role: roleOf(member.access_level) }
          : { state: 'absent' };
      },

      async add(username, options, attempt) {
        const asked = options.role as Role | undefined;
        const id = await userId(username);
        if (id === undefined) throw new NotFoundError(`__DISPLAY__ has no user "${username}"`);
        const current = await membership(id, username);
        if (!current) {
          const role = asked ?? DEFAULT_ROLE;
          await attempt.change(
            'added',
            () =>
              request({
                method: 'POST',
                route: '/groups/{group}/members',
                params: { group },
                body: { user_id: id, access_level: ACCESS_LEVELS[role] },
                doing: `adding ${username} to ${group}`,
                accept: [409],
              }),
            // 409: someone else added them in between; nothing changed by this write.
            { changed: (answer) => answer.status !== 409 },
          );
          return { outcome: 'added', role };
        }
        const role = roleOf(current.access_level);
        // A bare add never changes the role of someone already there.
        if (asked === undefined || asked === role) return { outcome: 'already-member', role };
        await attempt.change('role-changed', () =>
          request({
            method: 'PUT',
            route: '/groups/{group}/members/{user_id}',
            params: { group, user_id: id },
            body: { access_level: ACCESS_LEVELS[asked] },
            doing: `making ${username} ${asked} in ${group}`,
          }),
        );
        return { outcome: 'role-changed', role: asked, detail: `was ${role}` };
      },

      async remove(username, _options, attempt) {
        const id = await userId(username);
        if (id === undefined || !(await membership(id, username))) return { outcome: 'not-member' };
        await attempt.change(
          'removed',
          () =>
            request({
              method: 'DELETE',
              route: '/groups/{group}/members/{user_id}',
              params: { group, user_id: id },
              doing: `removing ${username} from ${group}`,
              accept: [404],
            }),
          { changed: (answer) => answer.status !== 404 },
        );
        return { outcome: 'removed' };
      },

      async *list() {
        // Each page's `Link` header names the next one.
        const members = paginateByLink(async (url) => {
          const answer = await request<Member[]>({
            route: '/groups/{group}/members',
            params: { group },
            query: { per_page: 100 },
            doing: `listing ${group}`,
            ...(url ? { url } : {}),
          });
          return { items: answer.data, headers: answer.headers };
        });
        for await (const m of members)
          yield {
            identifier: m.username.toLowerCase(),
            state: 'member',
            role: roleOf(m.access_level),
          };
      },
    };
  },
});
