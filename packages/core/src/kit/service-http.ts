import type { Clock } from '../clock.js';
import type { ServiceCall } from '../contract.js';
import { CancelledError, type OrchesterError, TransientError } from '../errors.js';
import { fillRoute, routeMatcher, UNKNOWN_ROUTE } from './route-template.js';
import { errorForStatus } from './status-error.js';

/** Every request's deadline unless the connector sets another. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** What a `ServiceHttp` is made from: the host's side of the connector context. */
export interface ServiceHttpBase {
  /** Aborts every request in flight (orchester shutting down). */
  readonly signal: AbortSignal;
  readonly clock: Pick<Clock, 'now'>;
  recordCall(call: ServiceCall): void;
  /** The fetch underneath; defaults to the global one. */
  readonly fetch?: typeof fetch;
}

/** A connector's settings for its service, given to `http.with(...)`. */
export interface ServiceHttpOptions {
  /** The service's name in messages: `GitHub`. */
  readonly service?: string;
  /** Origin (and path prefix) that `request` routes are relative to. */
  readonly baseUrl?: string;
  /** Each request's deadline, in ms. */
  readonly timeoutMs?: number;
  /**
   * Route templates (`/orgs/{org}/members/{username}`) that requests made through `fetch` are
   * recorded as; a path none matches is recorded as `other`.
   */
  readonly routes?: readonly string[];
  /**
   * Names a URL for `recordCall` when templates cannot (Slack's `/api/users.lookupByEmail`,
   * one route per method name); used instead of `routes`. It must drop every identifier.
   */
  readonly routeOf?: (url: URL) => string;
  /** Headers every `request` sends (authorization...). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How long `request` waits on a 429 that names no wait (no `Retry-After`, no reset header):
   * what the service documents for that case. Defaults to a minute, GitHub's advice for its
   * secondary limits.
   */
  readonly defaultRetryAfterMs?: number;
}

/** One request by route template. */
export interface HttpRequest {
  readonly method?: string;
  /** The route template; what gets recorded. Parameters are filled from `params`. */
  readonly route: string;
  /**
   * An absolute URL to send to instead of `baseUrl` + the filled route: the next page a
   * `Link` header named. `route` still names it in `recordCall`.
   */
  readonly url?: string;
  readonly params?: Readonly<Record<string, string | number>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** What is being done, for messages: `adding octocat to acme`. */
  readonly doing?: string;
  /** Statuses answered as data rather than thrown (a check's 404). */
  readonly accept?: readonly number[];
  /**
   * Reads a failed answer the service's own way (Trello's "invalid id", GitHub's secondary
   * limit); undefined leaves it to `errorForStatus`.
   */
  failure?(answer: FailedHttpAnswer): OrchesterError | undefined;
}

/** A failed answer as `HttpRequest.failure` sees it: the body as text and as parsed. */
export interface FailedHttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly data: unknown;
  /** The service's own words from a JSON error body (`message`, `error_description`...). */
  readonly message: string | undefined;
  /** The request's `doing`. */
  readonly doing: string | undefined;
}

/** A service's answer: its status, headers and body (parsed JSON, else text, else undefined). */
export interface HttpAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly data: T;
}

/**
 * The HTTP helper on the connector context. Every request it sends has the connector's timeout
 * joined to orchester's abort signal and is reported through `recordCall` with its route
 * template. A request that gets no answer throws `TransientError` (network failure, timeout) or
 * `CancelledError` (orchester shutting down).
 */
export interface ServiceHttp {
  /**
   * A WHATWG fetch for SDKs (octokit's `request.fetch`, @slack/web-api's `fetch`, gaxios's
   * `fetchImplementation`). It answers every status as is: the SDK reads it.
   */
  readonly fetch: typeof fetch;
  /**
   * Sends one request to `baseUrl` + the filled route and reads the body. A status outside
   * 2xx (and `accept`) throws the orchester error `errorForStatus` gives it, the service's
   * wait honoured on a 429.
   */
  request<T = unknown>(request: HttpRequest): Promise<HttpAnswer<T>>;
  /** The same helper with the connector's settings: service name, base URL, timeout, routes. */
  with(options: ServiceHttpOptions): ServiceHttp;
}

/** Builds the HTTP helper; hosts put one on every connector context. */
export function createServiceHttp(
  base: ServiceHttpBase,
  options: ServiceHttpOptions = {},
): ServiceHttp {
  const service = options.service ?? 'the service';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const routeOf = options.routeOf ?? routeMatcher(options.routes ?? []);
  const underlying = base.fetch ?? globalThis.fetch;

  async function send(
    input: string | URL | Request,
    init: RequestInit | undefined,
    route: string,
  ): Promise<Response> {
    const method = (
      init?.method ?? (input instanceof Request ? input.method : 'GET')
    ).toUpperCase();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signals = [base.signal, timeout];
    if (init?.signal) signals.push(init.signal);
    if (input instanceof Request) signals.push(input.signal);
    const started = base.clock.now();
    let status = 0;
    try {
      const response = await underlying(input, { ...init, signal: AbortSignal.any(signals) });
      status = response.status;
      return response;
    } catch (error) {
      throw noAnswer(error, { service, timeoutMs, cancelled: base.signal, timedOut: timeout });
    } finally {
      base.recordCall({
        method,
        route,
        status,
        durationMs: Math.max(0, base.clock.now() - started),
      });
    }
  }

  const fetchFn = ((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return send(input, init, routeOf(url));
  }) as typeof fetch;

  return {
    fetch: fetchFn,
    with: (more) => createServiceHttp(base, { ...options, ...more }),
    async request<T>(request: HttpRequest): Promise<HttpAnswer<T>> {
      const url = new URL(
        request.url ??
          `${(options.baseUrl ?? '').replace(/\/+$/, '')}${fillRoute(request.route, request.params)}`,
      );
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...options.headers,
        ...request.headers,
      };
      if (request.body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await send(
        url,
        {
          method: request.method ?? 'GET',
          headers,
          redirect: 'error',
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        },
        request.route,
      );
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw noAnswer(error, { service, timeoutMs, cancelled: base.signal });
      }
      const data = parseBody(text);
      const accepted = request.accept?.includes(response.status) ?? false;
      if (!response.ok && !accepted) {
        const message = messageOf(data);
        const own = request.failure?.({
          status: response.status,
          headers: response.headers,
          text,
          data,
          message,
          doing: request.doing,
        });
        if (own) throw own;
        throw errorForStatus(
          { status: response.status, headers: response.headers, message },
          {
            service,
            ...(request.doing ? { doing: request.doing } : {}),
            ...(options.defaultRetryAfterMs !== undefined
              ? { defaultRetryAfterMs: options.defaultRetryAfterMs }
              : {}),
          },
        );
      }
      return { status: response.status, headers: response.headers, data: data as T };
    },
  };
}

function noAnswer(
  error: unknown,
  site: {
    service: string;
    timeoutMs: number;
    cancelled: AbortSignal;
    timedOut?: AbortSignal;
  },
): OrchesterError {
  if (site.cancelled.aborted) {
    return new CancelledError(`the request to ${site.service} was stopped`, { cause: error });
  }
  if (site.timedOut?.aborted) {
    return new TransientError(`${site.service} did not answer within ${site.timeoutMs} ms`, {
      cause: error,
      details: { timeoutMs: site.timeoutMs },
    });
  }
  const reason = (error as { cause?: { code?: unknown } })?.cause?.code;
  return new TransientError(
    `could not reach ${site.service}${typeof reason === 'string' ? ` (${reason})` : ''}`,
    { cause: error },
  );
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The service's own words in a JSON error body, when it has some. */
function messageOf(data: unknown): string | undefined {
  if (typeof data === 'string') return data.slice(0, 300) || undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const body = data as Record<string, unknown>;
  for (const key of ['message', 'error_description', 'detail', 'error']) {
    const value = body[key];
    if (typeof value === 'string') return value;
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { message?: unknown }).message === 'string'
    ) {
      return (value as { message: string }).message;
    }
  }
  return undefined;
}

export { UNKNOWN_ROUTE };
