import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

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
