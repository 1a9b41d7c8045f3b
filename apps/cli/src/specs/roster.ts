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
  usage: ['plan ROSTER [--json]'],
  arguments: [ROSTER],
  flags: { json: JSON_FLAG },
  notes: [
    'Reads one snapshot of members per instance, retried like jobs within roster.snapshot_deadline_ms.',
    RETRIES_NOTE,
  ],
  examples: ['orchest plan team.yaml'],
  run: async () => (await import('../commands/roster.js')).runPlan,
} as const satisfies CommandSpec;

export const APPLY = {
  name: 'apply',
  summary: 'carry the plan out as one batch (asks first)',
  usage: ['apply ROSTER [--inline] [--yes] [--force] [--json]'],
  arguments: [ROSTER],
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
    RETRIES_NOTE,
  ],
  examples: ['orchest apply team.yaml', 'orchest apply team.yaml --inline --yes'],
  run: async () => (await import('../commands/roster.js')).runApply,
} as const satisfies CommandSpec;
