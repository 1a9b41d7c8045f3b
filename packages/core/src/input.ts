import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** How much of any input a message quotes. */
export const QUOTE_LIMIT = 100;

/** The longest identifier orchester looks at (an e-mail address is at most 320 characters). */
export const MAX_IDENTIFIER_LENGTH = 320;

/** Size limits of the files orchester reads: generous for real use, bounded for everything else. */
export const FILE_LIMITS = {
  /** `.orchester.json`/`.yaml`. */
  config: 1024 * 1024,
  /** A roster of tens of thousands of people. */
  roster: 32 * 1024 * 1024,
  /** A batch of 100,000 rows with room to spare. */
  batch: 64 * 1024 * 1024,
} as const;

// C0 and C1 control characters, DEL, and the line and paragraph separators: matching them is the point.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a message must escape
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Input as a message may show it: in double quotes, control characters (CR, LF, ESC...) escaped,
 * at most `limit` characters, the rest said as a count. Never more of what a person typed, or of
 * a file, than that.
 */
export function quote(value: unknown, limit = QUOTE_LIMIT): string {
  const text = String(value);
  const chars = Array.from(text);
  const shown = chars
    .slice(0, limit)
    .join('')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(CONTROL, (c) => {
      const code = c.charCodeAt(0);
      if (c === '\n') return '\\n';
      if (c === '\r') return '\\r';
      if (c === '\t') return '\\t';
      return code < 0x100
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16).padStart(4, '0')}`;
    });
  const rest = chars.length - limit;
  return rest > 0 ? `"${shown}…" (${chars.length} characters)` : `"${shown}"`;
}

/** Problem lines for a message: the first `max`, then how many more there are. */
export function firstProblems(lines: readonly string[], max = 20): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `… and ${lines.length - max} more (fix these and run again)`];
}

/** Why a file was not read: thrown by `readBoundedText` with the words for a message. */
export class FileRefusal extends Error {
  constructor(
    message: string,
    readonly code: 'missing' | 'unreadable' | 'too-large' | 'not-text',
  ) {
    super(message);
    this.name = 'FileRefusal';
  }
}

const CHUNK = 1024 * 1024;

/**
 * Reads a text file of at most `maxBytes` as UTF-8. A larger file is refused once that many bytes
 * were read, without reading the rest (`/dev/zero` included); a file holding a NUL byte is not
 * text and is refused at the first chunk that has one. Pipes and `/dev/stdin` work.
 */
export function readBoundedText(path: string, what: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileRefusal(
      code === 'ENOENT'
        ? `${what} ${path} does not exist; check the path`
        : code === 'EACCES'
          ? `${what} ${path} cannot be read (permission denied); check its permissions`
          : code === 'EISDIR'
            ? `${what} ${path} is a directory; give a file`
            : `${what} ${path} cannot be read (${code}); check the path`,
      code === 'ENOENT' ? 'missing' : 'unreadable',
    );
  }
  try {
    if (fstatSync(fd).isDirectory())
      throw new FileRefusal(`${what} ${path} is a directory; give a file`, 'unreadable');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new FileRefusal(
          code === 'EISDIR'
            ? `${what} ${path} is a directory; give a file`
            : `${what} ${path} cannot be read (${code})`,
          'unreadable',
        );
      }
      if (n === 0) break;
      if (chunk.subarray(0, n).includes(0)) {
        throw new FileRefusal(
          `${what} ${path} is not a text file (it holds NUL bytes); give a JSON, YAML or CSV file`,
          'not-text',
        );
      }
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) {
        throw new FileRefusal(
          `${what} ${path} is larger than ${formatBytes(maxBytes)}, the most orchester reads for a ${what}; split it`,
          'too-large',
        );
      }
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}
