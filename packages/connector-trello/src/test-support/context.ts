import type { ConnectorContext, IdentityMap, Logger, ServiceCall } from '@orchester/core';
import { createServiceHttp, MemoryIdentityStore, systemClock } from '@orchester/core';
import type { TrelloConfig } from '../config.js';

/** A connector context as orchester builds it, with everything the connector says kept for assertions. */
export function testContext(
  config: TrelloConfig,
  baseUrl: string,
  signal = new AbortController().signal,
  identities: IdentityMap = new MemoryIdentityStore().forInstance('trello'),
) {
  const calls: ServiceCall[] = [];
  const logs: string[] = [];
  const logger: Logger = {
    debug: (obj, msg) => logs.push(JSON.stringify({ obj, msg })),
    info: (obj, msg) => logs.push(JSON.stringify({ obj, msg })),
    warn: (obj, msg) => logs.push(JSON.stringify({ obj, msg })),
    error: (obj, msg) => logs.push(JSON.stringify({ obj, msg })),
  };
  const context: ConnectorContext<TrelloConfig> = {
    instance: 'trello',
    config,
    logger,
    signal,
    clock: systemClock,
    baseUrl,
    configDir: process.cwd(),
    recordCall: (call) => calls.push(call),
    http: createServiceHttp({ signal, clock: systemClock, recordCall: (call) => calls.push(call) }),
    identities,
  };
  return { context, calls, logs, identities };
}
