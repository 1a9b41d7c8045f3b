import { resolve } from 'node:path';
import { type OrchesterConfig, readConfigSection, readSnapshotDeadline } from '@orchester/runtime';
import { z } from 'zod';

const DURATION = /^(\d+)\s*(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `drift`: a roster the worker plans on a schedule, and whether it applies what it finds. */
export const driftSectionSchema = z
  .object({
    roster: z.string().min(1, 'the roster file to check, e.g. "./team.yaml"').optional(),
    every: z.string().regex(DURATION, 'a duration such as "15m", "1h" or "1d"').optional(),
    cron: z.string().min(1, 'a cron pattern such as "0 * * * *"').optional(),
    apply: z.boolean().default(false),
    force: z.boolean().default(false),
  })
  .strict()
  .refine((d) => !(d.every && d.cron), { message: 'give "every" or "cron", not both' })
  .refine((d) => !d.roster || d.every || d.cron, {
    message: 'say when to check: "every": "1h" or "cron": "0 * * * *"',
  });

export interface DriftSettings {
  /** Absolute path of the roster file. */
  readonly roster: string;
  readonly schedule: { readonly every: number } | { readonly pattern: string };
  readonly apply: boolean;
  readonly force: boolean;
  /** How long a check may take to read the services, retries included (`roster.snapshot_deadline_ms`). */
  readonly snapshotDeadlineMs: number;
}

/** The drift settings, or undefined when no roster is scheduled. */
export function readDriftSettings(config: OrchesterConfig): DriftSettings | undefined {
  const section = readConfigSection(config, 'drift', driftSectionSchema);
  if (!section.roster) return undefined;
  let schedule: DriftSettings['schedule'];
  if (section.cron) schedule = { pattern: section.cron };
  else {
    const [, amount, unit] = DURATION.exec(section.every ?? '') ?? [];
    schedule = { every: Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS] };
  }
  return {
    roster: resolve(config.dir, section.roster),
    schedule,
    apply: section.apply,
    force: section.force,
    snapshotDeadlineMs: readSnapshotDeadline(config),
  };
}
