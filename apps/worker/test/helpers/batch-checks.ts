import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MembershipJob } from '@orchester/runtime';
import { expect } from 'vitest';
import { orchest, type spawnOrchest } from './cli.js';
import type { ToyEmulator } from './toy.js';

/** Writes `jobs` as a batch file (`instance`, `action`, `identifier` rows) in `dir`; answers its path. */
export function writeBatchFile(
  dir: string,
  name: string,
  jobs: readonly Pick<MembershipJob, 'instance' | 'action' | 'identifier'>[],
): string {
  const file = join(dir, name);
  const rows = jobs.map(({ instance, action, identifier }) => ({ instance, action, identifier }));
  writeFileSync(file, JSON.stringify(rows));
  return file;
}

/**
 * The end of a `batch apply --wait` started before a failover, within a minute; else the CLI is
 * stopped and the batch's status is the failure's message.
 */
export async function cliEndAfterFailover(
  cli: ReturnType<typeof spawnOrchest>,
  batchId: string,
  configPath: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const ended = await Promise.race([
    cli.ended,
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 60_000)),
  ]);
  if (ended) return ended;
  cli.child.kill();
  const now = await orchest(['batch', 'status', batchId, '--json'], configPath);
  throw new Error(`the batch did not end after the failover: ${now.stdout}${now.stderr}`);
}

/** `orchest batch status --json` says every one of `total` jobs succeeded and the batch finished. */
export async function expectBatchFinished(
  batchId: string,
  total: number,
  configPath: string,
): Promise<void> {
  const shown = await orchest(['batch', 'status', batchId, '--json'], configPath);
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.stdout)).toMatchObject({
    total,
    done: total,
    succeeded: total,
    failed: 0,
    finished: true,
  });
}

/** Each emulator made `perInstance` changes, none to the same person twice. */
export function expectEachChangeOnce(
  emulators: Record<string, ToyEmulator>,
  perInstance: number,
): void {
  for (const [instance, emulator] of Object.entries(emulators)) {
    const made = emulator.state.changes.map((c) => `${c.action} ${c.user}`);
    expect(made, instance).toHaveLength(perInstance);
    expect(new Set(made).size, instance).toBe(perInstance);
  }
}

/** The rows of `orchest batch report --json`. */
export async function reportRows(
  batchId: string,
  configPath: string,
): Promise<Array<{ action: string; outcome?: string }>> {
  const report = await orchest(['batch', 'report', batchId, '--json'], configPath);
  expect(report.code).toBe(0);
  return (JSON.parse(report.stdout) as { jobs: Array<{ action: string; outcome?: string }> }).jobs;
}
