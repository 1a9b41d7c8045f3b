import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { CommandSpec, FlagTable, FlagValues } from './command-spec.js';
import { COMMAND_SPECS } from './specs/index.js';
import { GLOBAL_FLAGS } from './specs/shared-flags.js';
import { UsageError } from './usage-error.js';

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

/** A command's whole table: its own flags and the global ones, which `extra` cannot replace. */
export function flagsOf(spec: CommandSpec, extra: FlagTable = {}): FlagTable {
  return { ...extra, ...spec.flags, ...GLOBAL_FLAGS };
}

function parseArgsOptions(table: FlagTable): ParseOptions {
  const out: ParseOptions = {};
  for (const [name, flag] of Object.entries(table)) {
    out[name] = {
      type: flag.type,
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
    };
  }
  return out;
}

/** The commands (and subcommands) other than `except` that have the flag `--name`. */
function commandsWithFlag(name: string, except: string): string[] {
  const out: string[] = [];
  for (const spec of COMMAND_SPECS) {
    for (const s of spec.subcommands ?? [spec]) {
      const path = s === spec ? spec.name : `${spec.name} ${s.name}`;
      if (path !== except && name in s.flags) out.push(path);
    }
  }
  return out;
}

function describeParseError(command: string, error: Error): string {
  const message = error.message.replace(/\. To specify a positional argument.*$/s, '');
  const unknown = /^Unknown option '--([^']+)'/.exec(message)?.[1];
  const elsewhere = unknown ? commandsWithFlag(unknown, command) : [];
  const hint = elsewhere.length > 0 ? `; it is a flag of ${elsewhere.join(', ')}` : '';
  return `${command}: ${message}${hint}; see "orchest help ${command}"`;
}

export interface ParseCommandOptions {
  /** The words that name the command in messages (`batch apply`); default the spec's name. */
  readonly command?: string;
  /** More flags: the connector options of `add` and `rm`. */
  readonly extra?: FlagTable;
}

/**
 * Strict parsing with the command's own table: an unknown flag or a missing value is a usage
 * error naming it (and the commands that do take it).
 */
export function parseCommandArgs<S extends CommandSpec>(
  spec: S,
  argv: readonly string[],
  options: ParseCommandOptions = {},
): {
  values: FlagValues<S['flags']> & FlagValues<typeof GLOBAL_FLAGS> & Record<string, unknown>;
  positionals: string[];
} {
  const command = options.command ?? spec.name;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: parseArgsOptions(flagsOf(spec, options.extra)),
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as never, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(describeParseError(command, error as Error));
  }
}

/**
 * The words of a command line that are not flags or flag values, read with `table` for which
 * flags take a value; stops at `--`. Finds a subcommand before its table is known.
 */
export function wordsOf(argv: readonly string[], table: FlagTable): string[] {
  const takesValue = new Set<string>();
  for (const [name, flag] of Object.entries(table)) {
    if (flag.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (flag.short) takesValue.add(`-${flag.short}`);
  }
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...words, ...argv.slice(i + 1)];
    if (takesValue.has(arg)) i += 1;
    else if (!arg.startsWith('-') || arg === '-') words.push(arg);
  }
  return words;
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
