import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '@orchester/core';
import type { AuditRecord } from './record.js';

/**
 * The append-only JSON-lines audit file. Records are only ever appended (`O_APPEND`), one line
 * each, so concurrent writers do not interleave and nothing written is rewritten. The folder
 * is created owner-only (0700) and the file owner-only (0600).
 */
export class AuditLog {
  constructor(readonly path: string) {}

  /** Creates the folder and file if needed; fails before any change is made when it cannot. */
  open(): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      closeSync(openSync(this.path, 'a', 0o600));
    } catch (error) {
      throw this.unwritable(error);
    }
  }

  append(record: AuditRecord): void {
    try {
      appendFileSync(this.path, `${JSON.stringify(record)}\n`, { flag: 'a', mode: 0o600 });
    } catch (error) {
      throw this.unwritable(error);
    }
  }

  private unwritable(error: unknown): ConfigError {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return new ConfigError(
      `audit file ${this.path} cannot be written (${code}); fix its permissions or set "audit": {"path": "..."} in config`,
      { cause: error },
    );
  }
}
