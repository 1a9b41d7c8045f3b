import { readFileSync } from 'node:fs';
import { ConfigError } from '@orchester/core';
import type { AuditRecord } from './record.js';

export interface AuditFilter {
  /** Records at or after this time. */
  readonly since?: Date;
  /** An identifier, e-mail or roster name (any case). */
  readonly person?: string;
  readonly instance?: string;
}

/** Reads the audit file, oldest first, keeping what the filter asks for. No file: no records. */
export function readAuditRecords(
  path: string,
  filter: AuditFilter = {},
): { records: AuditRecord[]; unreadableLines: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { records: [], unreadableLines: 0 };
    throw new ConfigError(
      `audit file ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`,
      {
        cause: error,
      },
    );
  }
  const records: AuditRecord[] = [];
  let unreadableLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: AuditRecord;
    try {
      record = JSON.parse(line) as AuditRecord;
    } catch {
      // A line cut short by a crash: count it, keep reading.
      unreadableLines += 1;
      continue;
    }
    if (auditRecordMatches(record, filter)) records.push(record);
  }
  return { records, unreadableLines };
}

/** Whether `record` is one the filter asks for (the file and the Redis stream read the same way). */
export function auditRecordMatches(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.since !== undefined && !(Date.parse(record.at) >= filter.since.getTime()))
    return false;
  if (filter.instance !== undefined && record.instance !== filter.instance) return false;
  const person = filter.person?.trim().toLowerCase();
  if (
    person !== undefined &&
    ![record.identifier, record.email, record.person].some((v) => v?.toLowerCase() === person)
  )
    return false;
  return true;
}
