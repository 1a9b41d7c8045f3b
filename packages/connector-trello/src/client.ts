import type { Clock, ServiceCall } from '@orchester/core';
import { errorForFailure, errorForNoAnswer, type TrelloSubject } from './errors.js';

export const TRELLO_API = 'https://api.trello.com';

export interface TrelloClientOptions {
  /** The origin serving `/1/...`: Trello's, or the emulator's. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly token: string;
  readonly timeoutMs: number;
  /** Aborts every request in flight (orchester shutting down). */
  readonly signal?: AbortSignal;
  readonly clock?: Pick<Clock, 'now'>;
  readonly recordCall?: (call: ServiceCall) => void;
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
 * Trello's REST API over `fetch`. Credentials travel only in the `Authorization: OAuth` header, so
 * no URL (and no log or error quoting one) ever holds them. Every request has a timeout and the
 * context's abort signal; every failure comes back as an orchester error.
 */
export class TrelloClient {
  private readonly authorization: string;
  private readonly base: string;

  constructor(private readonly options: TrelloClientOptions) {
    this.authorization = `OAuth oauth_consumer_key="${options.apiKey}", oauth_token="${options.token}"`;
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  /** The URL of a request: the route with its parameters filled in, and the query. No credentials. */
  urlOf(request: Pick<TrelloRequest, 'route' | 'params' | 'query'>): string {
    const path = request.route.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = request.params?.[name];
      if (value === undefined) throw new Error(`route ${request.route} needs "${name}"`);
      return encodeURIComponent(value);
    });
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(request.query ?? {}))
      if (v !== undefined) query.set(k, String(v));
    const qs = query.toString();
    return `${this.base}${path}${qs ? `?${qs}` : ''}`;
  }

  async request<T>(request: TrelloRequest): Promise<T> {
    const clock = this.options.clock ?? Date;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    const started = clock.now();
    const record = (status: number) =>
      this.options.recordCall?.({
        method: request.method,
        route: request.route,
        status,
        durationMs: clock.now() - started,
      });
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.urlOf(request), {
        method: request.method,
        headers: { authorization: this.authorization, accept: 'application/json' },
        signal,
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      record(0);
      throw errorForNoAnswer(error, {
        cancelled: this.options.signal?.aborted === true,
        timedOut: timeout.aborted,
        timeoutMs: this.options.timeoutMs,
      });
    }
    record(response.status);
    if (!response.ok) {
      throw errorForFailure(
        { status: response.status, text, headers: response.headers },
        { subject: request.subject, name: request.name },
      );
    }
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      // Trello answers some writes with a bare value; callers of those do not read the body.
      return text as T;
    }
  }
}
