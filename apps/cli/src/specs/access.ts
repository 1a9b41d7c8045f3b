// Who has access to what: read-only commands over every instance's members.
import type { CommandSpec } from '../command-spec.js';
import { PERSON_FLAGS } from './person.js';
import { CONNECTOR_FLAG, JSON_FLAG } from './shared-flags.js';

const ROSTER_FLAG = {
  type: 'string',
  value: 'FILE',
  description: 'a roster (YAML or JSON) to name each member after their roster person',
  complete: 'file',
} as const;

export const MEMBERS = {
  name: 'members',
  summary: 'every member and pending invitation of one instance, or of all of them',
  usage: ['[-c NAME] members [--roster FILE] [--json | --csv]'],
  arguments: [],
  flags: {
    connector: {
      ...CONNECTOR_FLAG,
      description: 'only this configured instance (or a connector type with one instance)',
    },
    roster: ROSTER_FLAG,
    json: JSON_FLAG,
    csv: {
      type: 'boolean',
      description:
        'CSV on stdout: instance, identifier, person, email, state, role, since, invited_days',
    },
  },
  notes: [
    "Reads each instance as plan does: one paginated listing, retried like jobs within roster.snapshot_deadline_ms, at the instance's rate; progress on stderr on a terminal.",
    'Without -c every configured instance is read. Changes nothing.',
  ],
  examples: [
    'orchest members',
    'orchest -c github-corp members --roster team.yaml',
    'orchest members --csv > members.csv',
  ],
  run: async () => (await import('../commands/members.js')).runMembers,
} as const satisfies CommandSpec;

export const WHO = {
  name: 'who',
  summary: 'where one person has access (exit 0 nowhere, 1 somewhere)',
  usage: [
    'who PERSON --roster FILE [--json]',
    'who PERSON [--email E] [--github LOGIN] [--trello USER] [--identity INSTANCE_OR_TYPE=ID] [--instances a,b] [--json]',
  ],
  arguments: [
    {
      name: 'PERSON',
      description: 'the e-mail, or (with --roster) the e-mail or the name in the roster',
    },
  ],
  flags: { ...PERSON_FLAGS, json: JSON_FLAG },
  notes: [
    "Checks every identifier of the person (the identities and the e-mail) on every configured instance (or those of --instances), one check each: member, invited, deactivated or absent, with the role. A roster gives the person's identities.",
    'Identities are checked as onboard/offboard check them: any problem, all listed, exit 2, nothing sent.',
    'Exit 0 when they have no access anywhere (a deactivated account is no access), 1 when they have some, 3 when a check could not be made or saw only part of the service (GitHub by e-mail: give --github).',
  ],
  examples: [
    'orchest who bob@example.com --github bob --trello bob',
    'orchest offboard Bob --roster team.yaml && orchest who Bob --roster team.yaml',
  ],
  run: async () => (await import('../commands/who.js')).runWho,
} as const satisfies CommandSpec;

export const ROSTER_EXPORT = {
  name: 'export',
  summary: "today's members as a roster file, or merged into one",
  usage: ['roster export [-c NAME] [--merge FILE] [--out FILE] [--json]'],
  arguments: [],
  flags: {
    connector: {
      ...CONNECTOR_FLAG,
      description: 'only this configured instance (default: every configured instance)',
    },
    merge: {
      type: 'string',
      value: 'FILE',
      description:
        'merge into this roster, keeping its comments, groups and people; prints the result',
      complete: 'file',
    },
    out: {
      type: 'string',
      value: 'FILE',
      description: 'write the roster to FILE instead of stdout (may be the --merge file)',
      complete: 'file',
    },
    json: { type: 'boolean', description: 'the roster as JSON instead of YAML' },
  },
  notes: [
    'People by the e-mail the services show, else by login or username with a stand-in e-mail (LOGIN@INSTANCE.invalid, marked for you to replace); identities where a service knows them otherwise; every instance prune: false; no groups. plan on the result shows no changes.',
    'Reads each instance as plan does (one paginated listing). Deactivated accounts are left out.',
  ],
  examples: [
    'orchest roster export > team.yaml',
    'orchest roster export --merge team.yaml --out team.yaml',
  ],
  run: async () => (await import('../commands/roster-export.js')).runRosterExport,
} as const satisfies CommandSpec;

export const ROSTER_GROUP = {
  name: 'roster',
  summary: "roster files: export today's members as one",
  usage: [...ROSTER_EXPORT.usage],
  arguments: [],
  flags: {},
  subcommands: [ROSTER_EXPORT],
  examples: [],
  run: ROSTER_EXPORT.run,
} as const satisfies CommandSpec;
