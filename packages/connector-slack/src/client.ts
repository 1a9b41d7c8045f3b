import { type ConnectorContext, redact } from '@orchester/core';
import type { LogLevel, Logger as SdkLogger, WebClient } from '@slack/web-api';
import type { SlackMode } from './config.js';
import type { DeactivatedPage } from './deactivated-accounts.js';
import { mapWebApiError, platformError } from './errors.js';

/** Every request's deadline; Slack answers well within it or not at all. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** @slack/logger's shape, writing the SDK's warnings to orchester's logger (its debug lines hold request bodies). */
export function sdkLogger(logger: ConnectorContext<unknown>['logger']): SdkLogger {
  let level = 'warn' as LogLevel;
  let name = 'slack';
  const text = (msg: unknown[]) => redact(msg.map(String).join(' '));
  return {
    debug() {},
    info() {},
    warn: (...msg: unknown[]) => logger.warn({ sdk: name }, text(msg)),
    error: (...msg: unknown[]) => logger.error({ sdk: name }, text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      name = n;
    },
  };
}

/** The fields of a Slack user object that membership depends on. */
export interface SlackUser {
  readonly id: string;
  readonly name?: string;
  readonly real_name?: string;
  readonly deleted?: boolean;
  readonly is_bot?: boolean;
  readonly is_invited_user?: boolean;
  readonly is_admin?: boolean;
  readonly is_owner?: boolean;
  readonly is_primary_owner?: boolean;
  readonly profile?: { readonly email?: string | null };
}

type Answer = Record<string, unknown>;

/** Web API base: `${baseUrl}/api/` for the sandbox, Slack's own otherwise. */
export function slackApiUrl(baseUrl: string | undefined): string {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/api/` : 'https://slack.com/api/';
}

/**
 * One token's view of the Slack Web API through @slack/web-api, with the SDK's retries off and
 * rate-limited calls rejected, so orchester's policy decides; every failure comes out classified.
 */
export class SlackWebApi {
  private constructor(
    private readonly client: WebClient,
    private readonly tokenKey: string,
    private readonly mode: SlackMode,
    private readonly signal: AbortSignal,
  ) {}

  static async open(
    context: Pick<ConnectorContext<unknown>, 'baseUrl' | 'logger' | 'signal' | 'http'>,
    token: string | undefined,
    tokenKey: string,
    mode: SlackMode,
  ): Promise<SlackWebApi> {
    // Imported here so that `orchest --help` never loads the SDK.
    const { WebClient } = await import('@slack/web-api');
    const client = new WebClient(token, {
      slackApiUrl: slackApiUrl(context.baseUrl),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: REQUEST_TIMEOUT_MS,
      maxRequestConcurrency: 4,
      allowAbsoluteUrls: false,
      logger: sdkLogger(context.logger),
      // The kit's fetch: orchester's abort signal, the timeout, and `recordCall` per method.
      fetch: context.http.with({
        service: 'Slack',
        timeoutMs: REQUEST_TIMEOUT_MS,
        routeOf: (url) => `/api/${url.pathname.split('/').pop() ?? ''}`,
      }).fetch,
    });
    return new SlackWebApi(client, tokenKey, mode, context.signal);
  }

  /** Calls `method`; an `ok:false` code listed in `tolerate` comes back as `{ ok: false, error }`. */
  async call(method: string, args: Answer, tolerate: readonly string[] = []): Promise<Answer> {
    const site = { call: method, tokenKey: this.tokenKey, mode: this.mode, signal: this.signal };
    try {
      return (await this.client.apiCall(method, args)) as unknown as Answer;
    } catch (error) {
      const data = (error as { code?: string; data?: Answer }).data;
      const code =
        (error as { code?: string }).code === 'slack_webapi_platform_error'
          ? String(data?.error)
          : undefined;
      if (code !== undefined && tolerate.includes(code)) return { ok: false, error: code };
      if (code !== undefined) throw platformError(code, data ?? {}, site);
      throw mapWebApiError(error, site);
    }
  }

  /** The user with this e-mail (Slack matches it case-insensitively), or undefined. */
  async lookupByEmail(email: string): Promise<SlackUser | undefined> {
    const answer = await this.call('users.lookupByEmail', { email }, ['users_not_found']);
    return answer.ok ? (answer.user as SlackUser) : undefined;
  }

  /** One page of a cursor-paginated method: the items under `key` and the next cursor, if any. */
  private async page<T>(
    method: string,
    args: Answer,
    key: string,
    cursor: string | undefined,
  ): Promise<{ items: T[]; next: string | undefined }> {
    const answer = await this.call(method, { ...args, ...(cursor ? { cursor } : {}) });
    const next = (answer.response_metadata as { next_cursor?: string } | undefined)?.next_cursor;
    return { items: (answer[key] as T[] | undefined) ?? [], next: next ? next : undefined };
  }

  /**
   * The IDs of a channel's members (conversations.members, Tier 4), 200 a page as Slack's docs
   * recommend. A private channel the token's user is not in answers `channel_not_found`.
   */
  async channelMembers(channel: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const { items, next } = await this.page<string>(
        'conversations.members',
        { channel, limit: 200 },
        'members',
        cursor,
      );
      ids.push(...items);
      cursor = next;
    } while (cursor);
    return ids;
  }

  /** Every user of the workspace, invited and deactivated ones included (users.list, Tier 2). */
  async *users(teamId: string | undefined): AsyncIterable<SlackUser> {
    let cursor: string | undefined;
    do {
      const { items, next } = await this.usersPage(teamId, cursor);
      yield* items;
      cursor = next;
    } while (cursor);
  }

  /** One page of users.list. */
  usersPage(teamId: string | undefined, cursor: string | undefined) {
    const args = { limit: 200, ...(teamId ? { team_id: teamId } : {}) };
    return this.page<SlackUser>('users.list', args, 'members', cursor);
  }

  /** One page of a Grid workspace's deactivated accounts (admin.users.list, is_active=false, Tier 4). */
  async deactivatedPage(teamId: string, cursor: string | undefined): Promise<DeactivatedPage> {
    const args = { team_id: teamId, is_active: false, limit: 100 };
    const { items, next } = await this.page<{ id: string; email?: string }>(
      'admin.users.list',
      args,
      'users',
      cursor,
    );
    return {
      accounts: items.flatMap((u) => (u.email ? [{ id: u.id, email: u.email }] : [])),
      next,
    };
  }
}
