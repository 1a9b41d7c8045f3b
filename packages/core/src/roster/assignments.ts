import { formatPath } from '../config/zod-issues.js';
import { quote } from '../input.js';
import { type AssignmentValue, assignmentValueSchema } from './schema.js';

/** One `instance: role` entry as written, before connectors check it. */
export interface AssignmentEntry {
  readonly instance: string;
  readonly value: AssignmentValue;
  /** Where it was written: `groups.engineering[1]`. */
  readonly path: string;
}

export interface RosterProblem {
  /** Where in the roster file: `people[2].email`. */
  readonly path: string;
  /** The person's name or e-mail, when the problem is about one person. */
  readonly person?: string;
  /** What is wrong and what was expected. */
  readonly message: string;
  /** True when the fix belongs in the config file (an instance that is not configured). */
  readonly config?: boolean;
}

const EXPECTED =
  'a map {instance: role} or a list such as [github-corp: member, slack, gdrive-eng: writer]';

/**
 * Reads an assignments value: a map `{instance: role | {role, teams, channels} | null}` or a list
 * of instance names and one-key maps. Problems go to `problems`, naming the entry.
 */
export function readAssignments(
  value: unknown,
  path: string,
  problems: RosterProblem[],
  person?: string,
): AssignmentEntry[] {
  const entries: AssignmentEntry[] = [];
  const push = (instance: string, raw: unknown, where: string) => {
    const parsed = assignmentValueSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push({
        path: where,
        ...(person ? { person } : {}),
        message: `expected a role such as "member", or {role, teams, channels}; got ${quote(JSON.stringify(raw) ?? String(raw))}`,
      });
      return;
    }
    if (entries.some((e) => e.instance === instance)) {
      problems.push({
        path: where,
        ...(person ? { person } : {}),
        message: `instance "${instance}" is named twice here; keep one`,
      });
      return;
    }
    entries.push({ instance, value: parsed.data, path: where });
  };
  if (value === undefined || value === null) return entries;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const where = formatPath([path], [i]);
      if (typeof item === 'string' && item.length > 0) push(item, null, where);
      else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        for (const [instance, v] of Object.entries(item)) push(instance, v, `${where}.${instance}`);
      } else {
        problems.push({
          path: where,
          ...(person ? { person } : {}),
          message: `expected an instance name or "instance: role"; got ${JSON.stringify(item)}`,
        });
      }
    });
    return entries;
  }
  if (typeof value === 'object') {
    for (const [instance, v] of Object.entries(value)) push(instance, v, `${path}.${instance}`);
    return entries;
  }
  problems.push({
    path,
    ...(person ? { person } : {}),
    message: `expected ${EXPECTED}; got ${JSON.stringify(value)}`,
  });
  return entries;
}
