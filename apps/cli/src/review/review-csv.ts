import { type AccessReview, ageInDays } from '@orchester/runtime';

/** The CSV's columns, in order. */
export const REVIEW_CSV_COLUMNS = [
  'person',
  'email',
  'instance',
  'type',
  'identifier',
  'state',
  'role',
  'since',
  'invitation_age_days',
  'in_roster',
] as const;

/**
 * One cell: quoted when it holds a comma, quote or line break (RFC 4180), and prefixed with `'`
 * when a spreadsheet would take it for a formula.
 */
function cell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Person × instance, one row per entry (member, invitation, deactivated account), by person. */
export function reviewCsv(review: AccessReview): string {
  const lines = [REVIEW_CSV_COLUMNS.join(',')];
  for (const person of review.people) {
    for (const [instance, e] of Object.entries(person.access).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const age = e.state === 'invited' ? ageInDays(e.since, review.takenAt) : undefined;
      lines.push(
        [
          person.name ?? '',
          person.email ?? '',
          instance,
          e.type,
          e.identifier,
          e.state,
          e.role,
          e.since,
          age,
          person.inRoster === undefined ? '' : person.inRoster ? 'yes' : 'no',
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
