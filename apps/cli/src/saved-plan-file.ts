import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '@orchester/core';
import {
  FILE_LIMITS,
  FileRefusal,
  looksLikeSavedPlan,
  parseSavedPlan,
  readBoundedText,
  type SavedPlan,
  type StaleMembership,
  sha256Of,
} from '@orchester/runtime';

/** Writes a saved plan owner-only (it names people), whole or not at all. */
export function writeSavedPlan(path: string, saved: SavedPlan): void {
  const partial = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(partial, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InvalidInputError(
      `--out ${path}: cannot write the plan there (${code}); give another path`,
      {
        cause: error,
      },
    );
  }
}

/** What `apply` was given: a roster to plan now, or a plan saved by `plan --out`. */
export type ApplySource =
  | { readonly kind: 'roster'; readonly file: string }
  | { readonly kind: 'saved'; readonly file: string; readonly saved: SavedPlan };

/** Tells a saved plan (by its `format` marker) from a roster, and reads a saved one whole. */
export function applySourceOf(cwd: string, file: string): ApplySource {
  let text: string;
  try {
    text = readBoundedText(resolve(cwd, file), 'roster or plan file', FILE_LIMITS.roster);
  } catch (error) {
    if (error instanceof FileRefusal) throw new InvalidInputError(error.message);
    throw error;
  }
  if (!looksLikeSavedPlan(text)) return { kind: 'roster', file };
  return { kind: 'saved', file, saved: parseSavedPlan(text, file) };
}

/** True when the roster a saved plan was made from now reads differently; false when unreadable. */
export function rosterChanged(saved: SavedPlan): boolean {
  try {
    const now = readBoundedText(saved.roster.file, 'roster', FILE_LIMITS.roster);
    return sha256Of(now) !== saved.roster.sha256;
  } catch {
    return false;
  }
}

/** The refusal of a stale plan: each membership that moved, and how to make a new plan. */
export function staleRefusal(
  file: string,
  saved: SavedPlan,
  stale: readonly StaleMembership[],
): InvalidInputError {
  const show = (m: { state: string; role?: string }) =>
    m.role !== undefined ? `${m.state} (${m.role})` : m.state;
  const lines = stale.map(
    (m) => `  - ${m.instance}: ${m.identifier}: was ${show(m.was)}, now ${show(m.now)}`,
  );
  return new InvalidInputError(
    `refusing to apply ${file}: ${stale.length} ${stale.length === 1 ? 'membership it changes has' : 'memberships it changes have'} changed since the plan was made (${saved.createdAt}):\n${lines.join('\n')}\nNothing was changed. Make a new plan: orchest plan ${saved.roster.file} --out ${file}`,
    { details: { stale: stale.map((m) => ({ ...m })) } },
  );
}
