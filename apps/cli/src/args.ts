import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  connector: { type: 'string', short: 'c' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean', short: 'v' },
} as const satisfies Options;

export interface ParsedArgs<V> {
  readonly values: V;
  readonly positionals: string[];
}

/** Strict parsing: an unknown flag or a missing value is a usage error naming it. */
export function parseCommandArgs<O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
): ParsedArgs<
  ReturnType<
    typeof parseArgs<{ options: O & typeof GLOBAL_OPTIONS; allowPositionals: true; strict: true }>
  >['values']
> {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as never, positionals: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${command}: ${message}; see "orchest --help"`);
  }
}

/** Exactly `count` positionals, or a usage error saying what was expected. */
export function expectPositionals(
  command: string,
  positionals: readonly string[],
  names: readonly string[],
): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(
      `${command}: missing ${names.slice(positionals.length).join(' ')}; usage: orchest ${command} ${names.join(' ')}`,
    );
  }
  if (positionals.length > names.length) {
    throw new UsageError(
      `${command}: unexpected argument "${positionals[names.length]}"; usage: orchest ${command} ${names.join(' ')}`,
    );
  }
  return [...positionals];
}
