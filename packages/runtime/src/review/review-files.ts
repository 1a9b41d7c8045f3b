import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '@orchester/core';
import { REVIEW_SNAPSHOT_VERSION, type ReviewSnapshot } from './review-snapshot.js';

const SNAPSHOT_FILE = /^snapshot-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z)\.json$/;

/** `2026-11-30T16:35:00.123Z` → `2026-11-30T16-35-00.123Z`: sortable, and no `:` for Windows. */
export function reviewStamp(takenAt: string): string {
  return takenAt.replace(/:/g, '-');
}

/** The files one review writes into its folder. */
export interface ReviewFiles {
  readonly snapshot: string;
  readonly csv: string;
  readonly html: string;
}

export function reviewFilesIn(dir: string, takenAt: string): ReviewFiles {
  const stamp = reviewStamp(takenAt);
  return {
    snapshot: join(dir, `snapshot-${stamp}.json`),
    csv: join(dir, `access-review-${stamp}.csv`),
    html: join(dir, `access-review-${stamp}.html`),
  };
}

/**
 * The latest snapshot saved in `dir` (by the time in its name), to compare a new one with; undefined
 * when there is none. A snapshot that cannot be read is an error naming the file, not "no changes".
 */
export function latestReviewSnapshot(
  dir: string,
): { readonly file: string; readonly snapshot: ReviewSnapshot } | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir)
    .filter((n) => SNAPSHOT_FILE.test(n))
    .sort();
  const last = names.at(-1);
  if (!last) return undefined;
  const file = join(dir, last);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(
      `${file}: the previous review snapshot is not JSON (${(error as Error).message}); move it out of the folder to start afresh`,
    );
  }
  const s = parsed as Partial<ReviewSnapshot>;
  if (
    s.version !== REVIEW_SNAPSHOT_VERSION ||
    typeof s.takenAt !== 'string' ||
    !Array.isArray(s.instances)
  ) {
    throw new InvalidInputError(
      `${file}: not a review snapshot of version ${REVIEW_SNAPSHOT_VERSION} (version, takenAt, instances); move it out of the folder to start afresh`,
    );
  }
  return { file, snapshot: s as ReviewSnapshot };
}

/**
 * Writes the snapshot, the CSV and the HTML page into `dir` (made owner-only when new), each
 * owner-only: they name people and their access.
 */
export function writeReviewFiles(
  dir: string,
  snapshot: ReviewSnapshot,
  csv: string,
  html: string,
): ReviewFiles {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = reviewFilesIn(dir, snapshot.takenAt);
  const write = (path: string, text: string) => {
    writeFileSync(path, text, { mode: 0o600 });
    chmodSync(path, 0o600);
  };
  write(files.snapshot, `${JSON.stringify(snapshot, null, 2)}\n`);
  write(files.csv, csv);
  write(files.html, html);
  return files;
}
