import type { Clock } from '@orchester/core';
import type { ConnectorRegistry, OrchesterConfig } from '@orchester/runtime';
import type { CommandIo } from './io.js';
import type { Paint } from './output/colour.js';

/** What a command gets from the composition root: plain values, never the container. */
export interface CommandContext {
  /** The arguments after the command word, global flags included. */
  readonly argv: readonly string[];
  readonly io: CommandIo;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly clock: Clock;
  /** Aborts on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** Colours for stdout: none unless it is a terminal and NO_COLOR is unset. */
  readonly paint: Paint;
  /** The config (honouring `--config`), loaded once; config warnings are printed on first load. */
  config(): OrchesterConfig;
  /** The installed connectors and configured instances, discovered once. */
  registry(): ConnectorRegistry;
}

export type CommandHandler = (context: CommandContext) => Promise<number>;
