import type { AnyConnector } from '@orchester/core';
import { InvalidInputError } from '@orchester/core';
import type { MembershipJob } from '../job.js';
import { assertAction, parseIdentifier, parseOptions } from '../prepare-job.js';
import type { RosterSource } from './load-roster.js';

/** A person given by flags instead of a roster. */
export interface PersonFlags {
  readonly email?: string;
  /** By instance name or connector type: `{ github: 'octocat', 'trello-acme': 'ada' }`. */
  readonly identities: Readonly<Record<string, string>>;
}

/** Where a person given by flags goes, and (for `add`) with which role. */
export interface PersonTargets {
  /**
   * Instance names, or connector types that exactly one instance has. Undefined: every
   * configured instance.
   */
  readonly instances?: readonly string[];
  /** `add` only: the role on every target that `roles` does not name. */
  readonly role?: string;
  /** `add` only: roles by instance name or connector type; an instance name wins over its type. */
  readonly roles?: Readonly<Record<string, string>>;
}

/** The jobs for a person given by flags, or every reason they cannot be made. */
export interface PersonJobsDraft {
  readonly jobs: MembershipJob[];
  /** One line each; the jobs must not run unless this is empty. */
  readonly problems: string[];
}

interface Target {
  readonly name: string;
  readonly type: string;
  readonly connector: AnyConnector;
}

/**
 * Jobs for one person on the given instances without a roster. On each instance the identity
 * given for the instance, else for its type, else the e-mail: `add` uses that one, `remove`
 * every one the connector accepts (the identities and the e-mail). An identity that is given is
 * never replaced: if the connector refuses it, that is a problem, not a reason to use the
 * e-mail. Every instance, identity key and role is checked, and every problem is answered
 * together, before anything is sent.
 */
export async function draftPersonJobs(
  action: 'add' | 'remove',
  person: PersonFlags,
  targets: PersonTargets,
  source: RosterSource,
  batchId: string,
): Promise<PersonJobsDraft> {
  const problems: string[] = [];
  const { config } = source;
  const configured = [...config.instances.values()];
  const inUse = [...new Set(configured.flatMap((c) => [c.name, c.type]))].sort();

  const names: string[] = [];
  for (const asked of targets.instances ?? configured.map((c) => c.name)) {
    const name = resolveInstance(asked, source, problems);
    if (name && !names.includes(name)) names.push(name);
  }
  if (names.length === 0 && problems.length === 0) {
    problems.push(
      targets.instances
        ? 'no instance given'
        : 'no instance is configured; add one under "connectors" in config',
    );
  }
  const resolved: Target[] = [];
  for (const name of names) {
    const type = config.instances.get(name)!.type;
    try {
      const connector = await source.connectorOf(name);
      assertAction(connector, action);
      resolved.push({ name, type, connector });
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  const listed = names.join(', ');

  // A key that names nothing, or nothing this command targets, would be silently ignored.
  const checkKey = (what: string, key: string) => {
    if (!inUse.includes(key)) {
      problems.push(
        `${what} "${key}": neither a configured instance nor a connector type in use (${inUse.join(', ')})`,
      );
    } else if (!names.some((n) => n === key || config.instances.get(n)?.type === key)) {
      problems.push(
        `${what} "${key}": no target instance has this name or type (targets: ${listed})`,
      );
    }
  };
  for (const key of Object.keys(person.identities)) checkKey('identity', key);
  const roles = targets.roles ?? {};
  if (action === 'remove' && (targets.role !== undefined || Object.keys(roles).length > 0)) {
    problems.push('a role is for adding people; removing takes access away whatever the role');
  }
  for (const key of Object.keys(roles)) checkKey('role', key);

  // Each identity is checked by every connector it applies to; one line per identity.
  const badIdentity = new Set<string>();
  const identityOn = (target: Target, key: string): string | undefined => {
    const raw = person.identities[key];
    if (raw === undefined || badIdentity.has(key)) return undefined;
    try {
      return parseIdentifier(target.connector, raw);
    } catch (error) {
      badIdentity.add(key);
      problems.push(`identity "${key}": ${(error as Error).message}`);
      return undefined;
    }
  };

  // The identifiers on one target: the identities given for it, then the e-mail.
  const identifiersOn = (target: Target): string[] | undefined => {
    const explicit = [target.name, target.type]
      .filter((k) => person.identities[k] !== undefined)
      .map((k) => identityOn(target, k));
    if (explicit.includes(undefined)) return undefined; // reported by identityOn
    let emailError: string | undefined;
    const ids = explicit as string[];
    if (person.email !== undefined) {
      try {
        ids.push(parseIdentifier(target.connector, person.email));
      } catch (error) {
        emailError = (error as Error).message;
      }
    }
    if (ids.length > 0) return [...new Set(ids)];
    problems.push(
      `${target.name}: ${emailError ?? `no identifier; give --email or an identity for ${target.type} (${target.connector.identifierHint})`}`,
    );
    return undefined;
  };

  // The options of an add on one target: its role, checked by its connector.
  const addOptionsOn = ({ name, type, connector }: Target): Record<string, unknown> | undefined => {
    const role = roles[name] ?? roles[type] ?? targets.role;
    if (role === undefined) return {};
    const known = connector.capabilities.roles;
    if (!known.includes(role)) {
      problems.push(
        `${name}: "${role}" is not a ${connector.displayName} role (roles: ${known.join(', ')})`,
      );
      return undefined;
    }
    try {
      return { ...parseOptions(connector, 'add', { role }) };
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      return undefined;
    }
  };

  const jobs: MembershipJob[] = [];
  for (const target of resolved) {
    const ids = identifiersOn(target);
    const options = action === 'add' ? addOptionsOn(target) : {};
    if (!ids || !options) continue;
    for (const identifier of action === 'add' ? ids.slice(0, 1) : ids) {
      jobs.push({ instance: target.name, action, identifier, options: { ...options }, batchId });
    }
  }
  return { jobs: problems.length > 0 ? [] : jobs, problems };
}

/** An instance name, or a type exactly one instance has; else a problem. */
function resolveInstance(
  asked: string,
  source: RosterSource,
  problems: string[],
): string | undefined {
  const { config } = source;
  if (config.instances.has(asked)) return asked;
  const ofType = [...config.instances.values()].filter((c) => c.type === asked);
  if (ofType.length === 1) return ofType[0]!.name;
  if (ofType.length > 1) {
    problems.push(
      `instance "${asked}": a connector type with several instances (${ofType.map((c) => c.name).join(', ')}); name the ones you mean`,
    );
    return undefined;
  }
  const known = [...config.instances.keys()].sort();
  problems.push(
    `instance "${asked}": not configured (configured: ${known.length > 0 ? known.join(', ') : 'none'})`,
  );
  return undefined;
}

/** `draftPersonJobs`, throwing one InvalidInputError that lists every problem. */
export async function personJobs(
  action: 'add' | 'remove',
  person: PersonFlags,
  targets: PersonTargets,
  source: RosterSource,
  batchId: string,
): Promise<MembershipJob[]> {
  const { jobs, problems } = await draftPersonJobs(action, person, targets, source, batchId);
  if (problems.length > 0) throw new InvalidInputError(describeProblems(problems));
  return jobs;
}

/** "N problems; nothing was sent:" and one indented line each, or the one problem. */
export function describeProblems(problems: readonly string[]): string {
  if (problems.length === 1) return `${problems[0]}; nothing was sent`;
  return `${problems.length} problems; nothing was sent:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}
