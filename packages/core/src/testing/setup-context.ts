import { Readable } from 'node:stream';
import { type Clock, systemClock } from '../clock.js';
import type { ServiceCall, SetupContext } from '../contract.js';
import { createServiceHttp } from '../kit/service-http.js';
import { resolveSetupConfig } from '../setup-config.js';
import { type LogLine, recordingLogger } from './recording-logger.js';

export interface TestSetupContextOptions {
  readonly instance?: string;
  /** The instance's block as written; `config` is it with `{ env }` resolved from `env`. */
  readonly rawConfig?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly argv?: readonly string[];
  readonly baseUrl?: string;
  readonly configPath?: string;
  readonly configDir?: string;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  readonly stdin?: NodeJS.ReadableStream;
}

/** The set-up context `orchest generate` builds, keeping what the flow printed, saved and opened. */
export interface TestSetupContext extends SetupContext {
  readonly printed: string[];
  /** Every `saveConfig` call's values, in order. */
  readonly saved: Array<Record<string, unknown>>;
  readonly opened: string[];
  readonly logs: LogLine[];
  /** Calls made through `http`. */
  readonly calls: ServiceCall[];
}

/**
 * A `SetupContext` for tests of a connector's `setup.run`: `config` resolved as the CLI resolves
 * it, a real `http`, and `print`, `saveConfig` and `openUrl` that only record (override them to
 * play a browser or write a file).
 */
export function createTestSetupContext(options: TestSetupContextOptions = {}): TestSetupContext {
  const printed: string[] = [];
  const saved: Array<Record<string, unknown>> = [];
  const opened: string[] = [];
  const logs: LogLine[] = [];
  const calls: ServiceCall[] = [];
  const rawConfig = options.rawConfig ?? {};
  const env = options.env ?? {};
  const signal = options.signal ?? new AbortController().signal;
  const clock = options.clock ?? systemClock;
  const configPath = options.configPath;
  return {
    instance: options.instance ?? 'test',
    rawConfig,
    config: resolveSetupConfig(rawConfig, env),
    env,
    http: createServiceHttp({ signal, clock, recordCall: (call) => calls.push(call) }),
    argv: options.argv ?? [],
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    configPath,
    configDir: options.configDir ?? process.cwd(),
    signal,
    clock,
    logger: recordingLogger(logs),
    stdin: options.stdin ?? Readable.from([]),
    print: (line) => {
      printed.push(line);
    },
    saveConfig: async (values) => {
      saved.push(values);
      return configPath ?? 'config';
    },
    openUrl: async (url) => {
      opened.push(url);
      return false;
    },
    printed,
    saved,
    opened,
    logs,
    calls,
  };
}
