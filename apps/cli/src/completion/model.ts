import { flagsOf } from '../args.js';
import type { CommandSpec, Completion, FlagSpec, FlagTable } from '../command-spec.js';
import { optionFlagTable } from '../connector-options/option-flags.js';
import type { OptionSet } from '../connector-options/option-sets.js';
import { COMMAND_SPECS } from '../specs/index.js';
import { CONNECTOR_FLAG, GLOBAL_FLAGS } from '../specs/shared-flags.js';

/** One place on the command line where completion offers something: a command or subcommand. */
export interface CompletionNode {
  /** The words that lead here: `add`, `batch apply`; '' before any command. */
  readonly path: string;
  /** Other paths that mean the same (`remove` for `rm`). */
  readonly aliases: readonly string[];
  /** `--flag` and `-f` words, with what each means. */
  readonly flags: ReadonlyArray<{ readonly name: string; readonly flag: FlagSpec }>;
  /** What the next word may be: subcommands, an argument's completion, or nothing. */
  readonly next?: Completion | { readonly words: ReadonlyArray<readonly [string, string]> };
}

/** Everything a completion script needs, the same for bash, zsh and fish. */
export interface CompletionModel {
  readonly nodes: readonly CompletionNode[];
  /** Every flag that takes a value (so its value is not taken for a command word). */
  readonly valueFlags: readonly string[];
  /** What completes each value flag: `--role` the roles, `-c` the instances, `--config` files. */
  readonly valueCompletions: ReadonlyArray<readonly [string, Completion | undefined]>;
}

const BEFORE_COMMAND: FlagTable = {
  connector: CONNECTOR_FLAG,
  ...GLOBAL_FLAGS,
  version: { type: 'boolean', short: 'V', description: "the CLI's version" },
};

function nodeOf(spec: CommandSpec, path: string, aliases: string[], sets: readonly OptionSet[]) {
  const extra = spec.connectorOptions ? optionFlagTable(sets, spec.connectorOptions) : {};
  const flags = Object.entries(flagsOf(spec, extra)).map(([name, flag]) => ({ name, flag }));
  const next = spec.subcommands
    ? { words: spec.subcommands.map((s) => [s.name, s.summary] as const) }
    : spec.arguments[0]?.complete;
  return { path, aliases, flags, ...(next ? { next } : {}) };
}

/** Spellings of a flag: `--connector`, `-c`. */
function spellings(name: string, flag: FlagSpec): string[] {
  return [`--${name}`, ...(flag.short ? [`-${flag.short}`] : [])];
}

/** The commands of `COMMAND_SPECS` and the installed connectors' options, for completion. */
export function completionModel(sets: readonly OptionSet[]): CompletionModel {
  const commandWords: Array<readonly [string, string]> = [];
  const nodes: CompletionNode[] = [];
  for (const spec of COMMAND_SPECS) {
    for (const word of [spec.name, ...(spec.aliases ?? [])])
      commandWords.push([word, spec.summary]);
    nodes.push(nodeOf(spec, spec.name, [...(spec.aliases ?? [])], sets));
    for (const sub of spec.subcommands ?? [])
      nodes.push(nodeOf(sub, `${spec.name} ${sub.name}`, [], sets));
  }
  commandWords.push(['help', "a command's usage, flags and examples"]);
  nodes.push({
    path: 'help',
    aliases: [],
    flags: [],
    next: { words: commandWords.filter(([w]) => w !== 'help') },
  });
  nodes.unshift({
    path: '',
    aliases: [],
    flags: Object.entries(BEFORE_COMMAND).map(([name, flag]) => ({ name, flag })),
    next: { words: commandWords },
  });

  // One meaning per spelling; choices of one flag on several commands are merged.
  const values = new Map<string, Completion | undefined>();
  for (const node of nodes) {
    for (const { name, flag } of node.flags) {
      if (flag.type !== 'string') continue;
      for (const spelling of spellings(name, flag)) {
        const before = values.get(spelling);
        const now = flag.complete;
        if (Array.isArray(before) && Array.isArray(now))
          values.set(spelling, [...new Set([...before, ...now])]);
        else values.set(spelling, before ?? now);
      }
    }
  }
  return {
    nodes,
    valueFlags: [...values.keys()].sort(),
    valueCompletions: [...values.entries()].sort(([a], [b]) => a.localeCompare(b)),
  };
}
