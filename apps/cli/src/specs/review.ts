import type { CommandSpec } from '../command-spec.js';
import { JSON_FLAG } from './shared-flags.js';

export const REVIEW = {
  name: 'review',
  summary: 'an access review: who has access where, saved as JSON, CSV and one HTML page',
  usage: ['review [--out DIR] [--roster FILE] [--stale-days N] [--json]'],
  arguments: [],
  flags: {
    out: {
      type: 'string',
      value: 'DIR',
      description: 'the folder to write into and compare with (default ./access-review)',
      complete: 'file',
    },
    roster: {
      type: 'string',
      value: 'FILE',
      description: 'a roster: names people, and lists access it has no entry for',
      complete: 'file',
    },
    'stale-days': {
      type: 'string',
      value: 'N',
      description: 'pending invitations older than N days are listed as stale (default 14)',
    },
    json: JSON_FLAG,
  },
  notes: [
    'Reads every configured instance as plan does (one paginated snapshot each) and changes nothing.',
    'Writes snapshot-TIME.json, access-review-TIME.csv and access-review-TIME.html (owner-only) into DIR; the page shows what changed since the latest snapshot already there.',
    'The HTML page is self-contained: inline CSS, no script, nothing fetched.',
  ],
  examples: ['orchest review --roster team.yaml --out reviews/'],
  run: async () => (await import('../commands/review.js')).runReview,
} as const satisfies CommandSpec;
