import {
  type ConnectorRegistry,
  firstProblems,
  InvalidInputError,
  type MembershipAction,
  type MembershipJob,
  parseIdentifier,
  parseOptions,
  quote,
  toOrchesterError,
} from '@orchester/core';
import type { BatchRow } from './read-batch-file.js';

const ACTIONS: Record<string, MembershipAction> = {
  check: 'check',
  add: 'add',
  remove: 'remove',
  rm: 'remove',
};
const KNOWN = new Set([
  'instance',
  'connector',
  'action',
  'identifier',
  'role',
  'full_name',
  'fullname',
  'name',
]);

/**
 * Validates every row before anything is enqueued: each problem names its row and field, and
 * all of them are reported at once. Rows asking for the same job twice, or to add and remove
 * the same person on one instance, are refused too.
 */
export async function buildBatchJobs(
  rows: readonly BatchRow[],
  registry: ConnectorRegistry,
  batchId: string,
): Promise<MembershipJob[]> {
  const problems: string[] = [];
  const jobs: MembershipJob[] = [];
  const seen = new Map<string, number>();
  const writes = new Map<string, { row: number; action: MembershipAction }>();
  if (rows.length === 0) throw new InvalidInputError('the batch file has no rows');
  for (const { row, values } of rows) {
    if ((values as { __notAnObject?: boolean }).__notAnObject) {
      problems.push(`row ${row}: expected an object with instance, action and identifier`);
      continue;
    }
    const at = (field: string, message: string) =>
      problems.push(`row ${row}: ${field}: ${message}`);
    const instanceName = str(values.instance ?? values.connector);
    const actionName = str(values.action)?.toLowerCase();
    const rawIdentifier = str(values.identifier);
    let bad = false;
    if (!instanceName) {
      at('instance', 'required (a configured instance name)');
      bad = true;
    }
    const action = actionName ? ACTIONS[actionName] : undefined;
    if (!action) {
      at(
        'action',
        actionName
          ? `${quote(actionName)} is not one of check, add, remove`
          : 'required (check, add or remove)',
      );
      bad = true;
    }
    if (!rawIdentifier) {
      at('identifier', 'required');
      bad = true;
    }
    if (bad || !instanceName || !action || !rawIdentifier) continue;
    let instance: string;
    try {
      instance = registry.selectInstance(instanceName).name;
    } catch (error) {
      at('instance', toOrchesterError(error).message);
      continue;
    }
    try {
      const connector = await registry.connectorOf(instance);
      if (!connector.capabilities.actions.includes(action)) {
        at(
          'action',
          `${connector.displayName} cannot ${action}; it can ${connector.capabilities.actions.join(', ')}`,
        );
        continue;
      }
      const identifier = parseIdentifier(connector, rawIdentifier);
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) if (!KNOWN.has(k)) extra[k] = v;
      const fullName = str(values.full_name ?? values.fullname ?? values.name);
      const raw = {
        ...extra,
        ...(values.role !== undefined ? { role: str(values.role) } : {}),
        ...(fullName ? { fullName } : {}),
      };
      let options: Record<string, unknown> = {};
      if (action !== 'check') options = { ...parseOptions(connector, action, raw) };
      else if (Object.keys(raw).length > 0) {
        at(Object.keys(raw)[0]!, 'check takes no options');
        continue;
      }
      const job: MembershipJob = { instance, action, identifier, options, batchId };
      // The same equivalence as the job id (identifier trimmed, any case), without hashing.
      const id = `${instance}\u0000${action}\u0000${identifier.trim().toLowerCase()}`;
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        at(
          'identifier',
          `repeats row ${earlier} (${action} ${identifier} on ${instance}); keep one`,
        );
        continue;
      }
      seen.set(id, row);
      if (action !== 'check') {
        const key = `${instance}\u0000${identifier}`;
        const other = writes.get(key);
        if (other && other.action !== action) {
          at(
            'action',
            `row ${other.row} asks to ${other.action} ${identifier} on ${instance}; a batch cannot both add and remove one person`,
          );
          continue;
        }
        writes.set(key, { row, action });
      }
      jobs.push(job);
    } catch (error) {
      const e = toOrchesterError(error);
      const option = /^invalid options for [^:]+: ([A-Za-z_]+):/.exec(e.message)?.[1];
      const field =
        e.code === 'ORCH_INVALID_IDENTIFIER'
          ? 'identifier'
          : e.code === 'ORCH_INVALID_INPUT'
            ? (option ?? 'options')
            : 'instance';
      at(field, e.message);
    }
  }
  if (problems.length > 0) {
    throw new InvalidInputError(
      `the batch has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was enqueued:\n  ${firstProblems(problems).join('\n  ')}`,
      { details: { problems: problems.slice(0, 100), count: problems.length } },
    );
  }
  return jobs;
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}
