import type { CommandSpec } from '../command-spec.js';
import { AT, AT_NOTE, JSON_FLAG, RETRIES_NOTE } from './shared-flags.js';

const PERSON = {
  name: 'PERSON',
  description: 'the e-mail, or (with --roster) the e-mail or the name in the roster',
} as const;

export const PERSON_FLAGS = {
  roster: {
    type: 'string',
    value: 'FILE',
    description: 'look the person up in a roster: its identities and instances',
    complete: 'file',
  },
  email: { type: 'string', value: 'E', description: "the person's e-mail, when PERSON is a name" },
  github: {
    type: 'string',
    value: 'LOGIN',
    description: 'the GitHub login, on every GitHub instance',
  },
  trello: {
    type: 'string',
    value: 'USER',
    description: 'the Trello username, on every Trello instance',
  },
  identity: {
    type: 'string',
    multiple: true,
    value: 'INSTANCE_OR_TYPE=ID',
    description: 'the identity on one instance or type (an instance name wins over its type)',
  },
  instances: {
    type: 'string',
    value: 'a,b',
    description: 'instance names, or types with one instance (default: every instance)',
  },
} as const;

const WITHOUT_ROSTER = [
  'Without --roster the person is the e-mail on every target, except where --github, --trello or --identity says otherwise. A given identity is never replaced by the e-mail: one the connector refuses is an error.',
  'Every identity, instance and role is checked first; any problem: all of them listed, exit 2, nothing sent.',
];

export const ONBOARD = {
  name: 'onboard',
  summary: 'one person into every instance (or those of --instances, or the roster)',
  usage: [
    'onboard PERSON --roster FILE [--json]',
    'onboard PERSON [--email E] [--github LOGIN] [--trello USER] [--identity INSTANCE_OR_TYPE=ID] [--instances a,b] [--role R] [--role INSTANCE_OR_TYPE=R] [--json]',
  ],
  arguments: [PERSON],
  flags: {
    ...PERSON_FLAGS,
    role: {
      type: 'string',
      multiple: true,
      value: 'R|INSTANCE_OR_TYPE=R',
      description: 'the role on every target, or on one type or instance (--role github=admin)',
    },
    json: JSON_FLAG,
  },
  listsRoles: true,
  notes: [
    'With --roster the person is added where the roster assigns them.',
    ...WITHOUT_ROSTER,
    RETRIES_NOTE,
  ],
  examples: [
    'orchest onboard ada@example.com --github ada-l --role github=admin --instances github-corp,slack',
    'orchest onboard "Ada Lovelace" --roster team.yaml',
  ],
  run: async () => (await import('../commands/person.js')).runOnboard,
} as const satisfies CommandSpec;

export const OFFBOARD = {
  name: 'offboard',
  summary: 'one person out of every instance, then a check that no access is left',
  usage: [
    'offboard PERSON --roster FILE [--json]',
    'offboard PERSON [--email E] [--github LOGIN] [--trello USER] [--identity INSTANCE_OR_TYPE=ID] [--instances a,b] [--json]',
    'offboard PERSON ... --at TIME [--json]',
  ],
  arguments: [PERSON],
  flags: { ...PERSON_FLAGS, at: AT, json: JSON_FLAG },
  notes: [
    'With --roster the person is removed from every instance the roster names, by every identifier they may have there.',
    ...WITHOUT_ROSTER,
    'Then every identifier removed is checked on every instance targeted: "verified: no access on ...", "access remains: ..." or "could not verify: ..." (a deactivated account is no access); --json adds "verification". Exit 3 unless no access is left.',
    AT_NOTE,
    RETRIES_NOTE,
  ],
  examples: [
    'orchest offboard bob@example.com --github bob --trello bob',
    'orchest offboard Bob --roster team.yaml',
    'orchest offboard Bob --roster team.yaml --at 2026-12-31T18:00+01:00',
  ],
  run: async () => (await import('../commands/person.js')).runOffboard,
} as const satisfies CommandSpec;
