import { resolve } from 'node:path';
import {
  ADMIN_ROLES,
  DEFAULT_STALE_DAYS,
  latestReviewSnapshot,
  reviewAccess,
  reviewSnapshotOf,
  writeReviewFiles,
} from '@orchester/runtime';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { say } from '../io.js';
import { reviewCsv } from '../review/review-csv.js';
import { reviewHtml } from '../review/review-html.js';
import { REVIEW } from '../specs/review.js';
import { UsageError } from '../usage-error.js';
import { instancesOf, readInstanceMembers } from './read-members.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function staleDaysOf(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_STALE_DAYS;
  if (!/^\d{1,5}$/.test(raw.trim())) {
    throw new UsageError(
      `review: --stale-days "${raw}" is not a number of days; give a whole number such as 14`,
    );
  }
  return Number(raw.trim());
}

/**
 * `orchest review [--out DIR] [--roster FILE] [--stale-days N] [--json]`: reads every configured
 * instance as `orchest members` does (as `plan` does: `readMembers`), writes the snapshot, a CSV and one HTML page into DIR, and compares
 * with the latest snapshot already there. Changes nothing on any service.
 */
export async function runReview(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(REVIEW, context.argv);
  expectPositionals('review', positionals, []);
  const staleDays = staleDaysOf(values['stale-days']);
  const dir = resolve(context.cwd, values.out ?? 'access-review');
  // Read before the services are: a broken earlier snapshot stops the review at once.
  const previous = latestReviewSnapshot(dir);
  const { members, roster } = await readInstanceMembers(
    context,
    instancesOf(context, undefined),
    values.roster,
  );
  const snapshot = reviewSnapshotOf(members, {
    takenAt: new Date(context.clock.now()).toISOString(),
    ...(roster ? { roster: roster.file } : {}),
  });
  const adminRoles = [
    ...ADMIN_ROLES,
    ...(roster?.instances.flatMap((i) => (i.adminRole ? [i.adminRole] : [])) ?? []),
  ];
  const review = reviewAccess(snapshot, {
    staleDays,
    adminRoles,
    ...(previous ? { previous: previous.snapshot } : {}),
  });
  const files = writeReviewFiles(dir, snapshot, reviewCsv(review), reviewHtml(review, adminRoles));
  if (values.json) {
    say(
      context.io,
      JSON.stringify({ files, ...(previous ? { previous: previous.file } : {}), review }),
    );
    return EXIT.ok;
  }
  const s = review.summary;
  say(
    context.io,
    `Access review of ${plural(s.instances, 'instance')} at ${review.takenAt}: ${plural(s.people, 'person', 'people')} with access, ${plural(s.members, 'membership')}, ${plural(s.invited, 'pending invitation')} (${s.staleInvitations} over ${staleDays} days), ${plural(s.admins, 'admin')}${roster ? `; ${s.notInRoster} not in the roster` : ''}.`,
  );
  if (review.changes) {
    say(
      context.io,
      `Since ${review.changes.since}: ${s.added} added, ${s.removed} removed, ${plural(s.roleChanged, 'role change')}, ${plural(s.stateChanged, 'state change')}.`,
    );
  } else {
    say(
      context.io,
      'No earlier snapshot in the folder: the next review will compare with this one.',
    );
  }
  say(context.io, 'Wrote:');
  for (const file of [files.snapshot, files.csv, files.html]) say(context.io, `  ${file}`);
  return EXIT.ok;
}
