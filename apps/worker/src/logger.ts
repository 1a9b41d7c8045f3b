import type { Logger } from '@orchester/core';
import { redact, redactValue } from '@orchester/core';
import { type DestinationStream, pino } from 'pino';

/**
 * The worker's structured JSON logger. Every line passes through core's redaction: registered
 * secrets (config tokens, the Redis password, the dashboard token) and known token shapes never
 * reach the output, whatever a caller put in the fields.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
): Logger & { flush?(): void } {
  const logger = pino(
    {
      level,
      base: { service: 'orchester-worker', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactValue(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // The message string too: (obj, msg) or (msg).
          const redacted = args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<
            typeof method
          >;
          return method.apply(this, redacted);
        },
      },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
  return logger as unknown as Logger & { flush?(): void };
}
