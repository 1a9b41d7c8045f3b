import type { FlagSpec } from '../command-spec.js';

const WIDTH = 100;

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A paragraph, wrapped and indented. */
export function paragraph(text: string, indent = 2): string[] {
  return wrap(text, WIDTH - indent).map((l) => `${' '.repeat(indent)}${l}`);
}

/**
 * Two columns: each label, then its text wrapped beside it. A label wider than `maxLabel` gets
 * its text on the next line.
 */
export function columns(
  rows: ReadonlyArray<readonly [string, string]>,
  indent = 2,
  maxLabel = 30,
): string[] {
  const labelWidth = Math.min(maxLabel, Math.max(0, ...rows.map(([label]) => label.length)));
  const textAt = indent + labelWidth + 2;
  const out: string[] = [];
  for (const [label, text] of rows) {
    const lines = wrap(text, Math.max(30, WIDTH - textAt));
    const pad = ' '.repeat(indent);
    if (label.length > labelWidth) {
      out.push(`${pad}${label}`);
      for (const l of lines) out.push(`${' '.repeat(textAt)}${l}`);
      continue;
    }
    const [first = '', ...rest] = lines;
    out.push(`${pad}${label.padEnd(labelWidth)}  ${first}`.trimEnd());
    for (const l of rest) out.push(`${' '.repeat(textAt)}${l}`);
  }
  return out;
}

/** `-c, --connector NAME` or `    --json`. */
export function flagLabel(name: string, flag: FlagSpec): string {
  const short = flag.short ? `-${flag.short}, ` : '    ';
  const value = flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : '';
  return `${short}--${name}${value}`;
}

/** A flag's text, saying when it may be given more than once. */
export function flagText(flag: FlagSpec): string {
  return flag.multiple ? `${flag.description} (may be repeated)` : flag.description;
}
