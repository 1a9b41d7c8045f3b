import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { say } from '../io.js';
import { describeMembers, membersCsv, membersJson } from '../output/describe-access.js';
import { MEMBERS } from '../specs/access.js';
import { UsageError } from '../usage-error.js';
import { instancesOf, readInstanceMembers } from './read-members.js';

/** `orchest [-c NAME] members [--roster FILE] [--json | --csv]`: who is on each instance. */
export async function runMembers(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(MEMBERS, context.argv);
  expectPositionals('members', positionals, []);
  if (values.json && values.csv) throw new UsageError('members: give --json or --csv, not both');
  const instances = instancesOf(context, values.connector);
  const { members, roster } = await readInstanceMembers(context, instances, values.roster);
  const now = context.clock.now();
  if (values.json) say(context.io, JSON.stringify(membersJson(members, now)));
  else if (values.csv) context.io.stdout.write(membersCsv(members, now));
  else {
    for (const line of describeMembers(members, now, context.paint, roster !== undefined)) {
      say(context.io, line);
    }
  }
  return EXIT.ok;
}
