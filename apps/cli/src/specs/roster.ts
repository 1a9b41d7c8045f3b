import type { CommandSpec } from '../command-spec.js';
import { JSON_FLAG, RETRIES_NOTE } from './shared-flags.js';

const ROSTER = {
  name: 'ROSTER',
  description: 'a roster file (YAML or JSON) saying who belongs where; see docs/rosters.md',
  complete: 'file',
} as const;

export const PLAN = {
  name: 'plan',
  summary: 'what apply would change (changes nothing)',
  usage: ['plan ROSTER [--out PLAN.json] [--json]'],
  arguments: [ROSTER],
  flags: {
    out: {
      type: 'string',
      value: 'PLAN.json',
      description:
        'also save the plan, with what it was made from, for "orchest apply PLAN.json" to carry out exactly',
      complete: 'file',
    },
    json: JSON_FLAG,
  },
  notes: [
    'Reads one snapshot of members per instance, retried like jobs within roster.snapshot_deadline_ms.',
    "A saved plan holds the changes, the roster's SHA-256 and where each person it changes stood on each instance; no secrets.",
    RETRIES_NOTE,
    'GitHub teams (slug, slug:maintainer) and Slack channels a roster names are read with the members and planned like roles: joined, role changed, and with prune left.',
  ],
  examples: ['orchest plan team.yaml', 'orchest plan team.yaml --out plan.json'],
  run: async () => (await import('../commands/roster.js')).runPlan,
} as const satisfies CommandSpec;

export const APPLY = {
  name: 'apply',
  summary: 'carry the plan out as one batch (asks first)',
  usage: ['apply ROSTER|PLAN.json [--inline] [--yes] [--force] [--json]'],
  arguments: [
    {
      name: 'ROSTER',
      description:
        'a roster to plan now, or a PLAN.json saved by "orchest plan ROSTER --out PLAN.json"',
      complete: 'file',
    },
  ],
  flags: {
    inline: {
      type: 'boolean',
      description: "run the batch in this process instead of the worker's queue",
    },
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'do not ask before changing anything (needed without a terminal)',
    },
    force: {
      type: 'boolean',
      description: 'go on although the plan breaks maxRemovalRatio or minAdmins',
    },
    json: JSON_FLAG,
  },
  notes: [
    'A plan that breaks a safety limit (maxRemovalRatio, minAdmins) is refused, exit 2, unless --force.',
    'A saved plan is carried out as saved, after reading each instance it changes once: if anyone it changes is no longer where the plan found them, it is refused (exit 2, each such membership listed) and nothing is changed.',
    RETRIES_NOTE,
  ],
  examples: [
    'orchest apply team.yaml',
    'orchest apply team.yaml --inline --yes',
    'orchest apply plan.json --yes',
  ],
  run: async () => (await import('../commands/roster.js')).runApply,
} as const satisfies CommandSpec;
