import type { ConnectorContext } from '@orchester/core';
import type { WebClient } from '@slack/web-api';
import type { SlackMode } from './config.js';
import type { DeactivatedAccount } from './deactivated-accounts.js';
import { mapWebApiError, platformError } from './errors.js';
import { REQUEST_TIMEOUT_MS, recordingFetch, sdkLogger } from './transport.js';

/** The fields of a Slack user object that membership depends on. */
export interface SlackUser {
  readonly id: string;
  readonly name?: string;
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
    context: Pick<
      ConnectorContext<unknown>,
      'baseUrl' | 'logger' | 'signal' | 'clock' | 'recordCall'
    >,
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
      fetch: recordingFetch(context, (url) => `/api/${url.pathname.split('/').pop() ?? ''}`),
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

  /** Every item under `key` of a cursor-paginated method, page by page. */
  private async *pages<T>(method: string, args: Answer, key: string): AsyncIterable<T> {
    let cursor: string | undefined;
    do {
      const answer = await this.call(method, { ...args, ...(cursor ? { cursor } : {}) });
      for (const item of (answer[key] as T[] | undefined) ?? []) yield item;
      const next = (answer.response_metadata as { next_cursor?: string } | undefined)?.next_cursor;
      cursor = next ? next : undefined;
    } while (cursor);
  }

  /** Every user of the workspace, invited and deactivated ones included (users.list, Tier 2). */
  users(teamId: string | undefined): AsyncIterable<SlackUser> {
    return this.pages(
      'users.list',
      { limit: 200, ...(teamId ? { team_id: teamId } : {}) },
      'members',
    );
  }

  /** The deactivated accounts of a Grid workspace (admin.users.list with is_active=false, Tier 4). */
  async *deactivatedUsers(teamId: string): AsyncIterable<DeactivatedAccount> {
    const users = this.pages<{ id: string; email?: string }>(
      'admin.users.list',
      { team_id: teamId, is_active: false, limit: 100 },
      'users',
    );
    for await (const user of users) if (user.email) yield { id: user.id, email: user.email };
  }
}
