import {
  type AnyConnector,
  ConfigError,
  defaultRoleOf,
  describeIssues,
  InvalidInputError,
  type MembershipOptions,
} from '@orchester/core';
import type { z } from 'zod';
import type { OrchesterConfig } from '../config/load.js';
import { parseStructuredText } from '../config/parse-file.js';
import { FILE_LIMITS, FileRefusal, firstProblems, readBoundedText } from '../input.js';
import { INSTANCE_NAME } from '../job.js';
import { parseIdentifier, parseOptions } from '../prepare-job.js';
import { type AssignmentEntry, type RosterProblem, readAssignments } from './assignments.js';
import { rosterFileSchema, rosterInstanceSchema, rosterPersonSchema } from './schema.js';
import type { Roster, RosterAssignment, RosterInstance, RosterPerson } from './types.js';

/** What reading a roster needs: the config (which instances exist) and their connectors. */
export interface RosterSource {
  readonly config: OrchesterConfig;
  connectorOf(instance: string): Promise<AnyConnector>;
}

export const ROSTER_DEFAULTS = { prune: false, maxRemovalRatio: 0.25, minAdmins: 1 } as const;

/** The role counted as admin when the roster does not say: `admin`, else `owner`. */
function guessAdminRole(connector: AnyConnector): string | undefined {
  const roles = connector.capabilities.roles;
  return roles.includes('admin') ? 'admin' : roles.includes('owner') ? 'owner' : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads a roster file (YAML or JSON) and validates all of it; see `parseRoster`. */
export async function loadRoster(file: string, source: RosterSource): Promise<Roster> {
  return (await loadRosterText(file, source)).roster;
}

/** `loadRoster`, with the text the roster was read from (a saved plan keeps its hash). */
export async function loadRosterText(
  file: string,
  source: RosterSource,
): Promise<{ roster: Roster; text: string }> {
  let text: string;
  try {
    text = readBoundedText(file, 'roster', FILE_LIMITS.roster);
  } catch (error) {
    if (error instanceof FileRefusal) throw new ConfigError(error.message);
    throw error;
  }
  return {
    roster: await parseRoster(parseStructuredText(text, file, 'roster'), file, source),
    text,
  };
}

/**
 * Validates a roster against the config and the connectors: every problem is collected and
 * thrown together, one line each (path, person, what was expected). Identifiers come out
 * normalized by each connector's identifier schema, so comparisons are exact.
 */
export async function parseRoster(
  raw: unknown,
  file: string,
  source: RosterSource,
): Promise<Roster> {
  const problems: RosterProblem[] = [];
  const addIssues = (error: z.ZodError, base: (string | number)[], person?: string) => {
    for (const line of describeIssues(error, base)) {
      const [path, ...rest] = line.split(': ');
      problems.push({ path: path ?? '', ...(person ? { person } : {}), message: rest.join(': ') });
    }
  };
  const outline = raw ?? {};
  // A file that is not a roster at all is said so, without quoting what it holds back.
  if (
    typeof outline !== 'object' ||
    Array.isArray(outline) ||
    !Object.keys(outline).some((k) => ['instances', 'groups', 'people'].includes(k))
  ) {
    throw new InvalidInputError(
      `${file} does not look like a roster: expected a mapping with "people" (and "instances", "groups"); see docs/rosters.md`,
    );
  }
  const top = rosterFileSchema.safeParse(outline);
  if (!top.success) {
    addIssues(top.error, []);
    throw rosterError(file, problems);
  }
  const data = top.data;
  // Each instance's settings on their own, so one bad value does not hide the rest of the file.
  const policies = new Map<string, z.output<typeof rosterInstanceSchema>>();
  for (const [instance, value] of Object.entries(data.instances ?? {})) {
    const policy = rosterInstanceSchema.safeParse(value ?? {});
    if (policy.success) policies.set(instance, policy.data);
    else addIssues(policy.error, ['instances', instance]);
  }

  // Where each instance is first named, to report an unknown one once.
  const named = new Map<string, { path: string; count: number }>();
  const name = (instance: string, path: string) => {
    const seen = named.get(instance);
    if (seen) seen.count += 1;
    else named.set(instance, { path, count: 1 });
  };
  for (const instance of Object.keys(data.instances ?? {})) name(instance, `instances.${instance}`);

  const groups = new Map<string, AssignmentEntry[]>();
  for (const [group, value] of Object.entries(data.groups ?? {})) {
    const entries = readAssignments(value, `groups.${group}`, problems);
    for (const e of entries) name(e.instance, e.path);
    groups.set(group, entries);
  }

  interface Draft {
    readonly index: number;
    readonly label: string;
    /** Read past a problem already reported: only what could be read is checked further. */
    readonly partial: boolean;
    readonly name: string;
    readonly email: string;
    readonly identities: Record<string, string>;
    readonly groups: string[];
    readonly entries: AssignmentEntry[];
  }
  const drafts: Draft[] = [];
  data.people.forEach((item, index) => {
    const at = `people[${index}]`;
    const rec = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const label =
      typeof rec.name === 'string' && rec.name.trim() !== ''
        ? rec.name.trim()
        : typeof rec.email === 'string'
          ? rec.email
          : `person ${index + 1}`;
    const parsed = rosterPersonSchema.safeParse(item);
    if (!parsed.success) addIssues(parsed.error, ['people', index], label);
    // A person with a problem is still read as far as they can be, so that every other problem
    // of the roster (their groups, instances, roles) is reported in the same run.
    const person = parsed.success
      ? parsed.data
      : {
          name: label,
          email: typeof rec.email === 'string' ? rec.email : '',
          identities: Object.fromEntries(
            Object.entries(
              rec.identities && typeof rec.identities === 'object' ? rec.identities : {},
            ).filter((e): e is [string, string] => typeof e[1] === 'string'),
          ),
          groups: Array.isArray(rec.groups)
            ? rec.groups.filter((g): g is string => typeof g === 'string')
            : [],
          access: rec.access,
        };
    const groupNames = person.groups ?? [];
    groupNames.forEach((g, i) => {
      if (!groups.has(g)) {
        const known = [...groups.keys()];
        problems.push({
          path: `${at}.groups[${i}]`,
          person: label,
          message: `no group "${g}"${known.length > 0 ? ` (groups: ${known.join(', ')})` : ''}; define it under "groups" or correct the name`,
        });
      }
    });
    const entries = readAssignments(person.access, `${at}.access`, problems, label);
    for (const e of entries) name(e.instance, e.path);
    drafts.push({
      index,
      label,
      partial: !parsed.success,
      name: person.name,
      email: person.email.toLowerCase(),
      identities: person.identities ?? {},
      groups: groupNames,
      entries,
    });
  });

  // Every instance named must be configured and served by an installed connector.
  const connectors = new Map<string, AnyConnector>();
  const configured = [...source.config.instances.keys()];
  const where = source.config.file ?? 'the config (no config file was found)';
  for (const [instance, first] of named) {
    const more = first.count > 1 ? ` (and ${first.count - 1} more place(s))` : '';
    if (!INSTANCE_NAME.test(instance) || !source.config.instances.has(instance)) {
      problems.push({
        path: first.path,
        config: true,
        message: `instance "${instance}" is not configured in ${where}${more}${configured.length > 0 ? `; configured: ${configured.join(', ')}` : ''}; add it under "connectors" or correct the name`,
      });
      continue;
    }
    try {
      connectors.set(instance, await source.connectorOf(instance));
    } catch (error) {
      problems.push({ path: first.path, config: true, message: errorText(error) });
    }
  }

  const instances: RosterInstance[] = [];
  for (const [instance, connector] of [...connectors].sort(([a], [b]) => a.localeCompare(b))) {
    const policy = policies.get(instance) ?? {};
    const adminRole = policy.adminRole ?? guessAdminRole(connector);
    if (policy.adminRole && !connector.capabilities.roles.includes(policy.adminRole)) {
      problems.push({
        path: `instances.${instance}.adminRole`,
        message: `"${policy.adminRole}" is not a ${connector.displayName} role; expected one of ${connector.capabilities.roles.join(', ')}`,
      });
    }
    instances.push({
      name: instance,
      type: source.config.instances.get(instance)?.type ?? connector.id,
      prune: policy.prune ?? ROSTER_DEFAULTS.prune,
      maxRemovalRatio: policy.maxRemovalRatio ?? ROSTER_DEFAULTS.maxRemovalRatio,
      minAdmins: policy.minAdmins ?? ROSTER_DEFAULTS.minAdmins,
      adminRole,
    });
  }

  // Identity keys: an instance name or a connector type the config knows.
  const types = new Set([...source.config.instances.values()].map((c) => c.type));
  const people: RosterPerson[] = [];
  for (const d of drafts) {
    const at = `people[${d.index}]`;
    for (const key of Object.keys(d.identities)) {
      if (!source.config.instances.has(key) && !types.has(key)) {
        problems.push({
          path: `${at}.identities.${key}`,
          person: d.label,
          message: `"${key}" is neither a configured instance nor a connector type in use (${[...new Set([...configured, ...types])].join(', ')})`,
        });
      }
    }
    // Every identity is checked on every roster instance it names, assigned or not: offboarding
    // removes by these keys, and a refused identity must not leave only the e-mail to try.
    const keys = new Map<string, string[]>();
    const badIdentity = new Set<string>();
    for (const inst of instances) {
      const connector = connectors.get(inst.name)!;
      const found: string[] = [];
      for (const key of [inst.name, inst.type]) {
        const given = d.identities[key];
        if (given === undefined || badIdentity.has(key)) continue;
        try {
          const id = parseIdentifier(connector, given);
          if (!found.includes(id)) found.push(id);
        } catch (error) {
          badIdentity.add(key);
          problems.push({
            path: `${at}.identities.${key}`,
            person: d.label,
            message: errorText(error),
          });
        }
      }
      try {
        const id = parseIdentifier(connector, d.email);
        if (!found.includes(id)) found.push(id);
      } catch {
        // A service that takes no e-mail; the identity given for it, where it matters, is checked below.
      }
      keys.set(inst.name, found);
    }

    // Groups first, in the order given, then the person's own access: later wins the role.
    const merged = new Map<
      string,
      { role?: string; teams: Set<string>; channels: Set<string>; path: string }
    >();
    const entries = [...d.groups.flatMap((g) => groups.get(g) ?? []), ...d.entries];
    for (const e of entries) {
      const m = merged.get(e.instance) ?? { teams: new Set(), channels: new Set(), path: e.path };
      const v = e.value;
      if (typeof v === 'string') m.role = v;
      else if (v) {
        if (v.role) m.role = v.role;
        for (const t of v.teams ?? []) m.teams.add(t);
        for (const c of v.channels ?? []) m.channels.add(c);
      }
      m.path = e.path;
      merged.set(e.instance, m);
    }

    const assignments: RosterAssignment[] = [];
    for (const [instance, m] of [...merged].sort(([a], [b]) => a.localeCompare(b))) {
      const connector = connectors.get(instance);
      if (!connector) continue; // already reported as not configured
      const type = source.config.instances.get(instance)?.type ?? connector.id;
      const raw: Record<string, unknown> = {};
      if (m.role !== undefined) raw.role = m.role;
      if (m.teams.size > 0) raw.teams = [...m.teams];
      if (m.channels.size > 0) raw.channels = [...m.channels];
      let options: MembershipOptions;
      try {
        options = parseOptions(connector, 'add', raw);
      } catch (error) {
        problems.push({ path: m.path, person: d.label, message: errorText(error) });
        continue;
      }
      const given = d.identities[instance] ?? d.identities[type];
      let identifier: string;
      try {
        identifier = parseIdentifier(connector, given ?? d.email);
      } catch (error) {
        // The identity was reported with the keys above; a partial person's e-mail already was.
        if (given !== undefined || d.partial) continue;
        problems.push({
          path: `${at}.email`,
          person: d.label,
          message: `${errorText(error)}; give one under identities.${type}`,
        });
        continue;
      }
      // A roster says who has which role: the role goes into the job even when it is the default.
      const role = options.role ?? defaultRoleOf(connector);
      assignments.push({
        instance,
        identifier,
        role,
        options: role !== undefined ? { ...options, role } : options,
      });
    }
    people.push({
      name: d.name,
      email: d.email,
      identities: d.identities,
      groups: d.groups,
      assignments,
      keys,
    });
  }

  // The same person twice, or two people on one account, would make the plan ambiguous.
  const seenEmail = new Map<string, number>();
  const seenName = new Map<string, number>();
  const seenId = new Map<string, number>();
  drafts.forEach((d, i) => {
    const person = people[i];
    const dup = (map: Map<string, number>, key: string, what: string, path: string) => {
      const first = map.get(key);
      if (first !== undefined) {
        problems.push({
          path,
          person: d.label,
          message: `${what} is also used by people[${first}]; each person appears once`,
        });
      } else map.set(key, d.index);
    };
    if (d.partial) return;
    dup(seenEmail, d.email, `e-mail ${d.email}`, `people[${d.index}].email`);
    dup(seenName, d.name.toLowerCase(), `name "${d.name}"`, `people[${d.index}].name`);
    for (const a of person?.assignments ?? []) {
      dup(
        seenId,
        `${a.instance}\u0000${a.identifier}`,
        `identifier "${a.identifier}" on ${a.instance}`,
        `people[${d.index}]`,
      );
    }
  });

  if (problems.length > 0) throw rosterError(file, problems);
  return { file, instances, people };
}

/** One line per problem: `people[2].email (Bob): expected an e-mail address`. */
export function describeRosterProblem(p: RosterProblem): string {
  return `${p.path}${p.person ? ` (${p.person})` : ''}: ${p.message}`;
}

function rosterError(file: string, problems: RosterProblem[]): ConfigError | InvalidInputError {
  const lines = firstProblems(problems.map((p) => `  - ${describeRosterProblem(p)}`));
  const message = `roster ${file} has ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${lines.join('\n')}`;
  const details = { file, problems: problems.slice(0, 100).map((p) => ({ ...p })) };
  return problems.every((p) => p.config)
    ? new ConfigError(message, { details })
    : new InvalidInputError(message, { details });
}
