import { resolve } from 'node:path';
import {
  type InstanceMembers,
  loadRoster,
  type Roster,
  readMembers,
  readSnapshotDeadline,
} from '@orchester/runtime';
import type { CommandContext } from '../command-context.js';
import { inlineRetryPolicy } from '../dispatch.js';
import { warnRetry } from '../inline-notes.js';

/** The instances `-c` names (one), else every configured instance, sorted. */
export function instancesOf(context: CommandContext, asked: string | undefined): string[] {
  const registry = context.registry();
  if (asked !== undefined) return [registry.selectInstance(asked).name];
  const all = [...registry.config.instances.keys()].sort();
  // None configured: the registry's own message says where it looked and how to add one.
  if (all.length === 0) registry.selectInstance(undefined);
  return all;
}

/** How often the progress line on a terminal is redrawn at most. */
const PROGRESS_EVERY_MS = 250;

/**
 * Reads the instances' members as `plan` reads them (one paginated snapshot each, the
 * interactive retry policy, within roster.snapshot_deadline_ms, at each instance's limits),
 * with retries announced and, on a terminal, a progress line on stderr.
 */
export async function readInstanceMembers(
  context: CommandContext,
  instances: readonly string[],
  rosterFile?: string,
): Promise<{ members: InstanceMembers[]; roster: Roster | undefined }> {
  const registry = context.registry();
  const roster = rosterFile
    ? await loadRoster(resolve(context.cwd, rosterFile), registry)
    : undefined;
  // Config problems (a missing token) surface before any request.
  for (const name of instances) await registry.validatedConfig(name);
  const stderr = context.io.stderr;
  const read = new Map<string, number>();
  let drawnAt = 0;
  const draw = (force = false) => {
    const now = context.clock.now();
    if (!force && now - drawnAt < PROGRESS_EVERY_MS) return;
    drawnAt = now;
    const parts = [...read].map(([name, n]) => `${name} ${n}`);
    stderr.write(`\r\u001b[2Korchest: reading members: ${parts.join(', ')}`);
  };
  const members = await readMembers(instances, registry, {
    ...(roster ? { roster } : {}),
    policy: inlineRetryPolicy(context),
    deadlineMs: readSnapshotDeadline(registry.config),
    clock: context.clock,
    signal: context.signal,
    limitsFor: (name) => registry.limitsFor(name),
    onRetry: (instance, error, decision) => {
      if (stderr.isTTY && read.size > 0) stderr.write('\r\u001b[2K');
      warnRetry(context, instance, error, decision, 'reading members: ');
    },
    ...(stderr.isTTY
      ? {
          onProgress: (instance: string, n: number) => {
            read.set(instance, n);
            draw();
          },
        }
      : {}),
  }).finally(() => {
    if (stderr.isTTY && read.size > 0) {
      draw(true);
      stderr.write('\n');
    }
  });
  return { members, roster };
}
