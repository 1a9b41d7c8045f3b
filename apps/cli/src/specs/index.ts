import type { CommandSpec } from '../command-spec.js';
import { MEMBERS, ROSTER_GROUP, WHO } from './access.js';
import { AUDIT } from './audit.js';
import { BATCH } from './batch.js';
import { COMPLETION, CONNECTORS, GENERATE } from './connectors.js';
import { ADD, CHECK, RM } from './membership.js';
import { OFFBOARD, ONBOARD } from './person.js';
import { REVIEW } from './review.js';
import { APPLY, PLAN } from './roster.js';
import { SANDBOX } from './sandbox.js';

/** Every command, in the order `orchest --help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  CHECK,
  ADD,
  RM,
  CONNECTORS,
  GENERATE,
  SANDBOX,
  BATCH,
  PLAN,
  APPLY,
  ONBOARD,
  OFFBOARD,
  MEMBERS,
  WHO,
  ROSTER_GROUP,
  AUDIT,
  REVIEW,
  COMPLETION,
];

/** The command a word names (`rm` and `remove` alike), if any. */
export function findSpec(word: string): CommandSpec | undefined {
  return COMMAND_SPECS.find((s) => s.name === word || s.aliases?.includes(word));
}

/** A group's subcommand (`batch apply`) named by the first of `words`, or the command itself. */
export function subcommandOf(spec: CommandSpec, words: readonly string[]): CommandSpec {
  if (!spec.subcommands) return spec;
  return spec.subcommands.find((s) => s.name === words[0]) ?? spec;
}
