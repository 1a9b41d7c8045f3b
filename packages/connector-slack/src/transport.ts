import { type ConnectorContext, redact } from '@orchester/core';
import type { LogLevel, Logger as SdkLogger } from '@slack/web-api';

/** Every request's deadline; Slack answers well within it or not at all. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A fetch that joins orchester's abort signal to the caller's and reports each request through
 * `recordCall` with its route template (never a URL holding an e-mail or a token).
 */
export function recordingFetch(
  context: Pick<ConnectorContext<unknown>, 'signal' | 'clock' | 'recordCall'>,
  routeOf: (url: URL, method: string) => string,
): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET').toUpperCase();
    const signals = [context.signal, init?.signal].filter(
      (s): s is AbortSignal => s instanceof AbortSignal,
    );
    const started = context.clock.now();
    let status = 0;
    try {
      const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
      status = response.status;
      return response;
    } finally {
      context.recordCall({
        method,
        route: routeOf(url, method),
        status,
        durationMs: context.clock.now() - started,
      });
    }
  };
}

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
