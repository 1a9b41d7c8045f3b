import { type ConnectorContext, InternalError } from '@orchester/core';
import { REQUEST_TIMEOUT_MS } from './client.js';
import { mapWebApiError, scimError } from './errors.js';
import type { WriteAnswer } from './write-answer.js';

/** The parts of a SCIM v2 User that membership depends on. */
export interface ScimUser {
  readonly id: string;
  readonly userName?: string;
  readonly displayName?: string;
  readonly active?: boolean;
  readonly emails?: ReadonlyArray<{ readonly value?: string; readonly primary?: boolean }>;
}

interface ScimList {
  readonly totalResults: number;
  readonly startIndex?: number;
  readonly itemsPerPage?: number;
  readonly Resources?: ScimUser[];
}

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** SCIM base: `${baseUrl}/scim/v2/` for the sandbox, Slack's own otherwise. */
export function scimBaseUrl(baseUrl: string | undefined): string {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/scim/v2/` : 'https://api.slack.com/scim/v2/';
}

/** A route template for the request log: the user id is replaced by `{id}`. */
function scimRoute(url: URL): string {
  return url.pathname.replace(/^.*\/scim\/v2/, '/scim/v2').replace(/(\/Users)\/[^/]+$/, '$1/{id}');
}

/** A Slack user name: lower-case letters, digits, `.`, `-`, `_`, at most 21 characters. */
export function scimUserName(email: string): string {
  const local = email.split('@')[0] ?? 'user';
  return (
    local
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '')
      .slice(0, 21) || 'user'
  );
}

/** Slack's SCIM v2 Users endpoints over fetch (no SDK covers them). */
export class SlackScimApi {
  private readonly fetch: typeof fetch;

  constructor(
    private readonly context: ConnectorContext<unknown>,
    private readonly token: string,
    private readonly tokenKey: string,
  ) {
    // The kit's fetch: orchester's abort signal, the timeout, and `recordCall` with templates.
    this.fetch = context.http.with({
      service: 'Slack SCIM',
      timeoutMs: REQUEST_TIMEOUT_MS,
      routeOf: scimRoute,
    }).fetch;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const url = `${scimBaseUrl(this.context.baseUrl)}${path}`;
    const site = {
      call: `${method} /scim/v2/${path.split('?')[0]?.replace(/Users\/.+$/, 'Users/{id}')}`,
      tokenKey: this.tokenKey,
      mode: 'scim' as const,
      signal: this.context.signal,
    };
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/scim+json, application/json',
          ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        redirect: 'error',
      });
    } catch (error) {
      // Network faults, timeouts and aborts, classified like the Web API's.
      throw mapWebApiError(
        Object.assign(new Error('request failed'), {
          code: 'slack_webapi_request_error',
          original: error,
        }),
        site,
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Keep plain-text bodies as they are.
    }
    if (response.status >= 200 && response.status < 300)
      return { status: response.status, body: parsed };
    if (response.status === 404 && method !== 'GET') return { status: 404, body: parsed };
    throw scimError(response.status, parsed, response.headers, site);
  }

  /** The SCIM user with this e-mail, active or not. */
  async findByEmail(email: string): Promise<ScimUser | undefined> {
    const filter = encodeURIComponent(`email eq "${email}"`);
    const { body } = await this.request('GET', `Users?filter=${filter}&count=2`);
    const users = (body as ScimList | undefined)?.Resources ?? [];
    return users.find((u) => emailsOf(u).includes(email));
  }

  /** Creates an active account; `{changed: false}` when Slack answers 409 (e-mail or user name taken). */
  async create(email: string, fullName: string | undefined): Promise<WriteAnswer<ScimUser>> {
    const [given, ...family] = (fullName ?? '').split(/\s+/).filter(Boolean);
    try {
      const { body } = await this.request('POST', 'Users', {
        schemas: [USER_SCHEMA],
        userName: scimUserName(email),
        emails: [{ value: email, primary: true }],
        active: true,
        ...(fullName
          ? {
              displayName: fullName,
              name: {
                givenName: given ?? fullName,
                familyName: family.join(' ') || (given ?? fullName),
              },
            }
          : {}),
      });
      return { changed: true, answer: body as ScimUser };
    } catch (error) {
      if ((error as { code?: string }).code === 'ORCH_CONFLICT')
        return { changed: false, why: 'exists' };
      throw error;
    }
  }

  /** Brings a deactivated account back; `{changed: false}` when it is gone. */
  async reactivate(id: string): Promise<WriteAnswer<true>> {
    const { status } = await this.request('PATCH', `Users/${encodeURIComponent(id)}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'active', value: true }],
    });
    return status === 404 ? { changed: false, why: 'gone' } : { changed: true, answer: true };
  }

  /** Deactivates an account (Slack's SCIM DELETE does not erase it); `{changed: false}` when it is gone. */
  async deactivate(id: string): Promise<WriteAnswer<true>> {
    const { status } = await this.request('DELETE', `Users/${encodeURIComponent(id)}`);
    return status === 404 ? { changed: false, why: 'gone' } : { changed: true, answer: true };
  }

  /** Every SCIM user, in pages of `count`. */
  async *users(count = 200): AsyncIterable<ScimUser> {
    let startIndex = 1;
    for (;;) {
      const { body } = await this.request('GET', `Users?startIndex=${startIndex}&count=${count}`);
      const page = body as ScimList | undefined;
      if (!page || !Array.isArray(page.Resources))
        throw new InternalError('Slack SCIM answered a user list without Resources');
      for (const user of page.Resources) yield user;
      startIndex += page.Resources.length;
      if (page.Resources.length === 0 || startIndex > page.totalResults) return;
    }
  }
}

/** A SCIM user's e-mails, lower-cased. */
export function emailsOf(user: ScimUser): string[] {
  return (user.emails ?? []).map((e) => (e.value ?? '').toLowerCase()).filter(Boolean);
}
