import type { JobPreview, PreviewKind } from '@orchester/runtime';
import { type Paint, plain, type Tone } from './colour.js';

const KIND: Record<PreviewKind, { sign: string; words: string; tone: Tone | undefined }> = {
  add: { sign: '+', words: 'add', tone: 'good' },
  reactivate: { sign: '+', words: 'reactivate', tone: 'good' },
  'change-role': { sign: '~', words: 'change role', tone: 'warn' },
  remove: { sign: '-', words: 'remove', tone: 'bad' },
  'cancel-invitation': { sign: '-', words: 'cancel invitation', tone: 'bad' },
  'already-member': { sign: '=', words: 'nothing (already a member)', tone: undefined },
  'already-invited': { sign: '=', words: 'nothing (already invited)', tone: undefined },
  'not-member': { sign: '=', words: 'nothing (not a member)', tone: undefined },
  check: { sign: '?', words: 'check', tone: undefined },
};

function now(p: JobPreview): string {
  return p.now.role !== undefined ? `${p.now.state}, ${p.now.role}` : p.now.state;
}

/** One line per row, in the file's order: "row 2: github: + change role bob (now member, member) -> admin". */
export function describePreview(
  previews: readonly (JobPreview & { readonly row: number })[],
  changes: number,
  paint: Paint = plain,
): string[] {
  const lines = previews.map((p) => {
    const kind = KIND[p.would];
    const what = `${kind.sign} ${kind.words} ${p.identifier} (now ${now(p)})${p.toRole !== undefined && p.would !== 'already-member' && p.would !== 'already-invited' ? ` -> ${p.toRole}` : ''}`;
    return `row ${p.row}: ${p.instance}: ${kind.tone ? paint(kind.tone, what) : what}`;
  });
  lines.push(
    '',
    `Dry run: ${changes} of ${previews.length} rows would change something; nothing was changed.`,
  );
  return lines;
}
