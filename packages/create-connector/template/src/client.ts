import type { ConnectorContext, HttpRequest } from '@orchester/core';
import type { Config } from './config.js';
import { failureOf } from './errors.js';

/**
 * One JSON API on orchester's HTTP helper (`context.http`): every request with a timeout,
 * orchester's abort signal and a recorded call (its route template, never the URL), and every
 * refusal an orchester error, the service's `Retry-After` honoured.
 */
export function createClient(
  context: ConnectorContext<Config>,
  baseUrl: string,
  timeoutMs = 30_000,
) {
  const http = context.http.with({
    service: '__DISPLAY__',
    baseUrl,
    timeoutMs,
    headers: { authorization: `Bearer ${context.config.token}` },
  });
  return <T>(request: HttpRequest) => http.request<T>({ failure: failureOf, ...request });
}
