// A command's whole surface in one table: its help, its completion and its argument parsing
// all read it. Kept free of heavy imports: `orchest COMMAND --help` loads only these tables.
import type { CommandHandler } from './command-context.js';

/** What completion offers for a value: file names, configured instances, or fixed words. */
export type Completion = 'file' | 'instance' | readonly string[];

/** One flag, as `node:util` `parseArgs` reads it plus what help and completion show. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** The value's name in help (`PATH`, `ID`); string flags only. */
  readonly value?: string;
  readonly description: string;
  readonly complete?: Completion;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly complete?: Completion;
}

export interface CommandSpec {
  readonly name: string;
  /** Other words that run it (`remove` for `rm`). */
  readonly aliases?: readonly string[];
  /** One line for `orchest --help`. */
  readonly summary: string;
  /** Usage lines, each after `orchest `. */
  readonly usage: readonly string[];
  readonly arguments: readonly ArgumentSpec[];
  readonly flags: FlagTable;
  /** `add`/`remove`: the options of the instance's connector are flags of the command too. */
  readonly connectorOptions?: 'add' | 'remove';
  /** `onboard`: help lists the roles each installed connector takes. */
  readonly listsRoles?: boolean;
  /** Paragraphs after the flags. */
  readonly notes?: readonly string[];
  readonly examples: readonly string[];
  /** `batch apply|status|report`: each its own table. */
  readonly subcommands?: readonly CommandSpec[];
  /** Imports the command's code; absent for a group such as `batch`. */
  readonly run?: () => Promise<CommandHandler>;
}

// Distributes over the flag's type, so a table of unknown flags gives every possible value.
type ValueOf<S extends FlagSpec> = S['type'] extends infer T
  ? T extends 'boolean'
    ? S['multiple'] extends true
      ? boolean[]
      : boolean
    : S['multiple'] extends true
      ? string[]
      : string
  : never;

/** The values `parseArgs` gives for a table: each flag absent or of its type. */
export type FlagValues<F extends FlagTable> = { readonly [K in keyof F]?: ValueOf<F[K]> };
