import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AnyConnector } from '@orchester/core';
import {
  exportedRosterYaml,
  exportRoster,
  FILE_LIMITS,
  mergeRosterFile,
  readBoundedText,
} from '@orchester/runtime';
import { expectPositionals, flagsOf, parseCommandArgs, wordsOf } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { warn } from '../io.js';
import { ROSTER_EXPORT, ROSTER_GROUP } from '../specs/access.js';
import { UsageError } from '../usage-error.js';
import { instancesOf, readInstanceMembers } from './read-members.js';

/** Replaces `file` whole (a new file renamed over it), so a failed write leaves the old one. */
function writeWhole(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * `orchest roster export [-c NAME] [--merge FILE] [--out FILE] [--json]`: today's members as a
 * roster, or merged into one, keeping its comments and groups.
 */
export async function runRosterExport(context: CommandContext): Promise<number> {
  const [sub] = wordsOf(context.argv, flagsOf(ROSTER_EXPORT));
  if (sub !== 'export') {
    throw new UsageError(
      `roster: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}; usage: orchest ${ROSTER_GROUP.usage.join(' | orchest ')}`,
    );
  }
  const { values, positionals } = parseCommandArgs(ROSTER_EXPORT, context.argv, {
    command: 'roster export',
  });
  expectPositionals('roster export', positionals.slice(1), []);
  const mergeFile = values.merge ? resolve(context.cwd, values.merge) : undefined;
  const instances = instancesOf(context, values.connector);
  const { members, roster } = await readInstanceMembers(context, instances, mergeFile);
  const registry = context.registry();
  const connectors = new Map<string, AnyConnector>();
  for (const name of instances) connectors.set(name, await registry.connectorOf(name));
  const exported = exportRoster(members, connectors);

  const json = values.json === true || (mergeFile?.endsWith('.json') ?? false);
  let text: string;
  if (mergeFile && roster) {
    const merged = mergeRosterFile(
      readBoundedText(mergeFile, 'roster', FILE_LIMITS.roster),
      roster,
      exported,
      json,
    );
    text = merged.text;
    warn(
      context.io,
      `orchest: merged into ${values.merge}: ${merged.peopleAdded} people added, ${merged.accessUpdated.length} access entries set, ${merged.instancesAdded.length} instances added`,
    );
  } else {
    const at = new Date(context.clock.now()).toISOString();
    text = json
      ? `${JSON.stringify(exported.roster, null, 2)}\n`
      : exportedRosterYaml(
          exported,
          `Exported by "orchest roster export" at ${at} from ${instances.join(', ')}.`,
        );
  }
  const standIns = exported.standIns.length;
  if (standIns > 0) {
    warn(
      context.io,
      `orchest: ${standIns === 1 ? '1 person has' : `${standIns} people have`} no e-mail on any service (GitHub and Trello show logins only): each got a stand-in LOGIN@INSTANCE.invalid, marked in the file; replace it with theirs`,
    );
  }
  if (exported.deactivated > 0) {
    const n = exported.deactivated;
    warn(context.io, `orchest: ${n} deactivated account${n === 1 ? '' : 's'} left out`);
  }
  if (values.out) writeWhole(resolve(context.cwd, values.out), text);
  else context.io.stdout.write(text);
  return EXIT.ok;
}
