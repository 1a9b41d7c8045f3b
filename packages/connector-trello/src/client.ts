import type { ServiceHttp } from '@orchester/core';
import { errorForFailure, type TrelloSubject } from './errors.js';

export const TRELLO_API = 'https://api.trello.com';

export interface TrelloClientOptions {
  /** The kit's HTTP helper from the context: timeout, abort, `recordCall`, no-answer errors. */
  readonly http: ServiceHttp;
  /** The origin serving `/1/...`: Trello's, or the emulator's. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly token: string;
  readonly timeoutMs: number;
}

export interface TrelloRequest {
  readonly method: 'GET' | 'PUT' | 'DELETE';
  /** The route template, e.g. `/1/organizations/{id}/members/{idMember}`; also what gets recorded. */
  readonly route: string;
  readonly params?: Readonly<Record<string, string>>;
  /** Trello takes every parameter, PUT ones included, in the query string. */
  readonly query?: Readonly<Record<string, string | boolean | undefined>>;
  /** What "not found" would mean, and the name to say it with. */
  readonly subject: TrelloSubject;
  readonly name: string;
}

/**
 * Trello's REST API on the kit's HTTP helper. Credentials travel only in the
 * `Authorization: OAuth` header, so no URL (and no log or error quoting one) ever holds them.
 * Every failure comes back as an orchester error, Trello's answers read Trello's way.
 */
export class TrelloClient {
  private readonly http: ServiceHttp;

  constructor(options: TrelloClientOptions) {
    this.http = options.http.with({
      service: 'Trello',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      headers: {
        authorization: `OAuth oauth_consumer_key="${options.apiKey}", oauth_token="${options.token}"`,
      },
    });
  }

  async request<T>(request: TrelloRequest): Promise<T> {
    const answer = await this.http.request<T>({
      method: request.method,
      route: request.route,
      ...(request.params ? { params: request.params } : {}),
      ...(request.query ? { query: request.query } : {}),
      failure: ({ status, text, headers }) =>
        errorForFailure(
          { status, text, headers },
          { subject: request.subject, name: request.name },
        ),
    });
    return answer.data;
  }
}
