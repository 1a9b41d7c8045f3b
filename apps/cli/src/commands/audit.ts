import { type IdentityEntry, toOrchesterError } from '@orchester/core';
import {
  type AuditFilter,
  type AuditRecord,
  auditPathOf,
  FileIdentityStore,
  identitiesPathOf,
  readAuditRecords,
} from '@orchester/runtime';
import { expectPositionals, parseCommandArgs } from '../args.js';
import { loadQueueClientModule } from '../batch/queue-client.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { say, warn } from '../io.js';
import { AUDIT } from '../specs/audit.js';
import { UsageError } from '../usage-error.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `2026-03-01`, an ISO time, or a span back from now: `30m`, `12h`, `7d`, `2w`. */
export function parseSince(raw: string, now: number): Date {
  const span = /^(\d+)([mhdw])$/.exec(raw.trim());
  if (span) return new Date(now - Number(span[1]) * UNIT_MS[span[2]!]!);
  const at = Date.parse(raw);
  if (/^\d{4}-\d{2}-\d{2}/.test(raw) && !Number.isNaN(at)) return new Date(at);
  throw new UsageError(
    `audit: --since "${raw}" is not a date; use 2026-03-01, 2026-03-01T09:00:00Z or a span such as 7d, 12h, 30m`,
  );
}

function describeRecord(r: AuditRecord): string {
  const who = r.person ? `${r.identifier} (${r.person})` : r.identifier;
  const result = r.outcome ?? `failed ${r.error ?? ''}`.trim();
  return `${r.at}  ${r.actor}  ${r.instance}  ${r.action} ${who}: ${result}${r.role ? ` (role ${r.role})` : ''}${r.detail ? `; ${r.detail}` : ''}  batch ${r.batchId}`;
}

/**
 * `orchest audit [--since DATE] [--person ID] [--instance NAME] [--json]`: the audit trail, oldest
 * first. `--identities`: what orchester learned of who an e-mail is on each instance instead.
 */
export async function runAudit(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(AUDIT, context.argv);
  expectPositionals('audit', positionals, []);
  if (values.identities) {
    if (values.since || values.person) {
      throw new UsageError(
        'audit: --identities lists what is recorded now; it takes --instance only',
      );
    }
    return printIdentities(context, values.instance, values.json === true);
  }
  const since = values.since ? parseSince(values.since, context.clock.now()) : undefined;
  const path = auditPathOf(context.config(), context.env.HOME || undefined);
  const filter: AuditFilter = {
    ...(since ? { since } : {}),
    ...(values.person ? { person: values.person } : {}),
    ...(values.instance ? { instance: values.instance } : {}),
  };
  const file = readAuditRecords(path, filter);
  const { unreadableLines } = file;
  const queued = await readQueuedRecords(context, filter);
  // Inline work is in the file, queued work in Redis: one trail, in time order.
  const records = queued.length === 0 ? file.records : sortByTime([...file.records, ...queued]);
  if (unreadableLines > 0) {
    warn(
      context.io,
      `orchest: warning: ${unreadableLines} unreadable line(s) in ${path} were skipped`,
    );
  }
  if (values.json) say(context.io, JSON.stringify(records));
  else if (records.length === 0)
    say(
      context.io,
      `No audit records${since || values.person || values.instance ? ' match' : ` in ${path}`}.`,
    );
  else for (const r of records) say(context.io, describeRecord(r));
  return EXIT.ok;
}

function sortByTime(records: AuditRecord[]): AuditRecord[] {
  return records
    .map((r, i) => ({ r, i, t: Date.parse(r.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.r);
}

/**
 * The records queued work left in Redis, when config has a `redis` section or REDIS_URL is set.
 * Redis (or the worker package) unavailable: a note on stderr, and the file alone.
 */
async function readQueuedRecords(
  context: CommandContext,
  filter: AuditFilter,
): Promise<AuditRecord[]> {
  const config = context.config();
  if (config.sections.redis === undefined && !context.env.REDIS_URL) return [];
  try {
    const mod = await loadQueueClientModule();
    const settings = mod.readQueueSettings(config, context.env);
    return await mod.readAuditStream(settings.redis, { ...filter, prefix: settings.prefix });
  } catch (error) {
    warn(
      context.io,
      `orchest: note: queued work's audit records are not shown: ${toOrchesterError(error).message.replace(/; start Redis.*$/, '')}; showing the audit file only`,
    );
    return [];
  }
}

/**
 * `orchest audit --identities`: the e-mail -> service id maps of commands run here (the file beside
 * the audit file) and of queued work (Redis, when a queue is configured), one line each.
 */
async function printIdentities(
  context: CommandContext,
  instance: string | undefined,
  json: boolean,
): Promise<number> {
  const config = context.config();
  const path = identitiesPathOf(config, context.env.HOME || undefined);
  const rows: Array<IdentityEntry & { kept: string }> = [];
  for (const entry of await new FileIdentityStore(path).list()) rows.push({ ...entry, kept: path });
  if (config.sections.redis !== undefined || context.env.REDIS_URL) {
    try {
      const mod = await loadQueueClientModule();
      const settings = mod.readQueueSettings(config, context.env);
      for (const entry of await mod.readIdentities(settings.redis, { prefix: settings.prefix }))
        rows.push({ ...entry, kept: 'redis' });
    } catch (error) {
      warn(
        context.io,
        `orchest: note: queued work's identities are not shown: ${toOrchesterError(error).message.replace(/; start Redis.*$/, '')}; showing ${path} only`,
      );
    }
  }
  const shown = instance ? rows.filter((r) => r.instance === instance) : rows;
  if (json) say(context.io, JSON.stringify(shown));
  else if (shown.length === 0)
    say(context.io, `No identities recorded${instance ? ` for ${instance}` : ''} (${path}).`);
  else for (const r of shown) say(context.io, `${r.instance}  ${r.email}  ${r.id}  (${r.kept})`);
  return EXIT.ok;
}
