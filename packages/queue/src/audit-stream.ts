import { type AuditFilter, type AuditRecord, auditRecordMatches } from '@orchester/runtime';
import { auditStreamKey } from './keys.js';
import type { RedisClient } from './redis.js';

export interface AuditStreamQuery extends AuditFilter {
  /** At most this many records, the newest ones (default 10,000). */
  readonly limit?: number;
}

const PAGE = 1_000;
// Entry ids carry Redis's clock, records the worker's: read a little past `since`, then filter
// on the record's own time.
const CLOCK_SLACK_MS = 5 * 60_000;

/** One stream entry back into an AuditRecord; undefined for an entry that is not one. */
function recordOf(fields: string[]): AuditRecord | undefined {
  let actor: string | undefined;
  let json: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'actor') actor = fields[i + 1];
    else if (fields[i] === 'record') json = fields[i + 1];
  }
  if (json === undefined) return undefined;
  try {
    const { at, ...rest } = JSON.parse(json) as Omit<AuditRecord, 'actor'>;
    return { at, actor: actor ?? 'unknown', ...rest };
  } catch {
    return undefined;
  }
}

/**
 * Reads the audit stream newest first, page by page, until `limit` records match or the
 * entries are older than `since`; answers them oldest first.
 */
export async function readAuditEntries(
  redis: RedisClient,
  prefix: string,
  query: AuditStreamQuery = {},
): Promise<AuditRecord[]> {
  const key = auditStreamKey(prefix);
  const limit = query.limit ?? 10_000;
  const floor = query.since ? query.since.getTime() - CLOCK_SLACK_MS : undefined;
  const found: AuditRecord[] = [];
  let end = '+';
  while (found.length < limit) {
    const page = await redis.xrevrange(key, end, '-', 'COUNT', PAGE);
    for (const [id, fields] of page) {
      if (floor !== undefined && Number(id.split('-')[0]) < floor) return found.reverse();
      const record = recordOf(fields);
      if (record && auditRecordMatches(record, query)) {
        found.push(record);
        if (found.length >= limit) break;
      }
    }
    if (page.length < PAGE) break;
    end = `(${page[page.length - 1]![0]}`;
  }
  return found.reverse();
}
