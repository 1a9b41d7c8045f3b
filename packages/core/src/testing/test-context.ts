import { type Clock, systemClock } from '../clock.js';
import type { ConnectorContext, ServiceCall } from '../contract.js';
import type { IdentityMap } from '../identities/identity-map.js';
import { createServiceHttp } from '../kit/service-http.js';
import { type LogLine, recordingLogger } from './recording-logger.js';

export interface TestContextOptions<Config> {
  readonly config: Config;
  readonly instance?: string;
  /** The emulator's URL. */
  readonly baseUrl?: string;
  readonly configDir?: string;
  readonly clock?: Clock;
  readonly identities?: IdentityMap;
  /** An outside signal that aborts the context's own (a test playing a shutdown). */
  readonly signal?: AbortSignal;
  /** Lists to record into, for a test that keeps its own. */
  readonly calls?: ServiceCall[];
  readonly logs?: LogLine[];
}

/** A connector context as a host builds it, keeping what the connector reported. */
export interface TestContext<Config> extends ConnectorContext<Config> {
  /** Every call `recordCall` got, in order. */
  readonly calls: ServiceCall[];
  /** Every line logged. */
  readonly logs: LogLine[];
  /** Aborts `signal`, as a host shutting down does. */
  readonly controller: AbortController;
}

/**
 * The context `connector.create(...)` gets from orchester, for tests: a real `http` helper on
 * the real fetch, a recording `recordCall` and logger, and an abort controller.
 */
export function createTestContext<Config>(
  options: TestContextOptions<Config>,
): TestContext<Config> {
  const calls: ServiceCall[] = options.calls ?? [];
  const logs: LogLine[] = options.logs ?? [];
  const controller = new AbortController();
  const outside = options.signal;
  if (outside?.aborted) controller.abort(outside.reason);
  outside?.addEventListener('abort', () => controller.abort(outside.reason), { once: true });
  const clock = options.clock ?? systemClock;
  const recordCall = (call: ServiceCall) => {
    calls.push(call);
  };
  return {
    instance: options.instance ?? 'test',
    config: options.config,
    logger: recordingLogger(logs),
    signal: controller.signal,
    clock,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    configDir: options.configDir ?? process.cwd(),
    recordCall,
    http: createServiceHttp({ signal: controller.signal, clock, recordCall }),
    ...(options.identities ? { identities: options.identities } : {}),
    calls,
    logs,
    controller,
  };
}
