import { CancelledError, type ConnectorContext, TransientError } from '@orchester/core';
import type { Config } from './config.js';
import { errorForStatus } from './errors.js';

export interface Request {
  readonly method?: string;
  /** The route template (`/groups/{group}/members/{user_id}`): what `recordCall` reports. */
  readonly route: string;
  readonly params?: Readonly<Record<string, string | number>>;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly body?: unknown;
  /** What is being done, for error messages: `adding ada to acme`. */
  readonly doing: string;
  /** Statuses answered as data rather than thrown (a check's 404). */
  readonly accept?: readonly number[];
}

export interface Answer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly data: T;
}

/** One JSON API, every request with a timeout, orchester's abort signal and a recorded call. */
export function createClient(
  context: ConnectorContext<Config>,
  baseUrl: string,
  timeoutMs = 30_000,
) {
  const { signal, clock } = context;
  return async function request<T>(req: Request): Promise<Answer<T>> {
    const path = req.route.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(String(req.params?.[name] ?? '')),
    );
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(req.query ?? {}))
      url.searchParams.set(key, String(value));
    const method = req.method ?? 'GET';
    const started = clock.now();
    let status = 0;
    try {
      const response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${context.config.token}`,
          ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      status = response.status;
      const text = await response.text();
      const data = (text ? JSON.parse(text) : undefined) as T;
      if (response.ok || req.accept?.includes(status))
        return { status, headers: response.headers, data };
      const message = (data as { message?: unknown } | undefined)?.message;
      throw errorForStatus(status, String(message ?? ''), req.doing, response.headers, clock.now());
    } catch (error) {
      if (status !== 0 && !(error instanceof SyntaxError)) throw error;
      if (signal.aborted) throw new CancelledError(`${req.doing}: cancelled`, { cause: error });
      throw new TransientError(`${req.doing}: no answer (${(error as Error).message})`, {
        cause: error,
      });
    } finally {
      context.recordCall({ method, route: req.route, status, durationMs: clock.now() - started });
    }
  };
}
