import { type ConnectorContext, redact } from '@orchester/core';
import type { LogLevel, Logger as SdkLogger } from '@slack/web-api';

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
