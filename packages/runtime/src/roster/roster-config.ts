import { z } from 'zod';
import { type OrchesterConfig, readConfigSection } from '../config/load.js';
import { DEFAULT_SNAPSHOT_DEADLINE_MS } from './snapshot.js';

/** The `roster` config section: how `plan`, `apply` and the worker's drift checks read services. */
export const rosterSectionSchema = z
  .object({
    snapshot_deadline_ms: z
      .number()
      .int()
      .min(1, 'a number of milliseconds, e.g. 180000 for 3 minutes')
      .optional(),
  })
  .strict();

/** How long reading a roster's instances may take (config `roster.snapshot_deadline_ms`). */
export function readSnapshotDeadline(config: OrchesterConfig): number {
  return (
    readConfigSection(config, 'roster', rosterSectionSchema).snapshot_deadline_ms ??
    DEFAULT_SNAPSHOT_DEADLINE_MS
  );
}
