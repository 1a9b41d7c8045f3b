import { InvalidInputError } from '../errors.js';
import type { MembershipJob } from '../job.js';
import { parseIdentifier } from '../prepare-job.js';
import type { PersonLookup, PersonRef } from './jobs.js';
import type { RosterSource } from './load-roster.js';
import type { Roster, RosterPerson } from './types.js';

/** The roster person an e-mail or a name (any case) points at, or an error listing near misses. */
export function findPerson(roster: Roster, query: string): RosterPerson {
  const q = query.trim().toLowerCase();
  const found = roster.people.find((p) => p.email === q || p.name.toLowerCase() === q);
  if (found) return found;
  throw new InvalidInputError(
    `no person "${query}" in roster ${roster.file}; give their e-mail or name as written there`,
  );
}

/** Onboarding from a roster: an `add` on every instance the person is assigned to. */
export function onboardJobs(person: RosterPerson, batchId: string): MembershipJob[] {
  return person.assignments.map((a) => ({
    instance: a.instance,
    action: 'add' as const,
    identifier: a.identifier,
    options: { ...a.options },
    batchId,
  }));
}

/**
 * Offboarding from a roster: a `remove` on every instance the roster names, for every
 * identifier the person may have there (login and e-mail), whether or not the roster assigns
 * them: a door left open elsewhere is the point. Absent people answer `not-member`.
 */
export function offboardJobs(
  roster: Roster,
  person: RosterPerson,
  batchId: string,
): MembershipJob[] {
  const jobs: MembershipJob[] = [];
  for (const inst of roster.instances) {
    for (const identifier of person.keys.get(inst.name) ?? []) {
      jobs.push({ instance: inst.name, action: 'remove', identifier, options: {}, batchId });
    }
  }
  return jobs;
}

/** A person given by flags instead of a roster. */
export interface PersonFlags {
  readonly name?: string;
  readonly email?: string;
  /** By instance name or connector type: `{ github: 'octocat', trello: 'ada' }`. */
  readonly identities: Readonly<Record<string, string>>;
}

/**
 * Jobs for one person on the given instances without a roster: the identity for the instance
 * or its type, else the e-mail. `add` uses the first that the connector accepts; `remove` every
 * one it accepts. Every instance the person cannot be named on is reported together.
 */
export async function personJobs(
  action: 'add' | 'remove',
  person: PersonFlags,
  instances: readonly string[],
  source: RosterSource,
  batchId: string,
  options: Record<string, unknown> = {},
): Promise<MembershipJob[]> {
  const jobs: MembershipJob[] = [];
  const problems: string[] = [];
  for (const instance of instances) {
    const cfg = source.config.instances.get(instance);
    if (!cfg) {
      problems.push(
        `${instance}: not configured (configured: ${[...source.config.instances.keys()].join(', ')})`,
      );
      continue;
    }
    const connector = await source.connectorOf(instance);
    const candidates = [person.identities[instance], person.identities[cfg.type], person.email];
    const ids: string[] = [];
    const errors: string[] = [];
    for (const c of candidates) {
      if (c === undefined) continue;
      try {
        const id = parseIdentifier(connector, c);
        if (!ids.includes(id)) ids.push(id);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    if (ids.length === 0) {
      problems.push(
        `${instance}: ${errors[0] ?? `no identifier; give --email or an identity for ${cfg.type} (${connector.identifierHint})`}`,
      );
      continue;
    }
    for (const identifier of action === 'add' ? ids.slice(0, 1) : ids) {
      jobs.push({
        instance,
        action,
        identifier,
        options: action === 'add' ? { ...options } : {},
        batchId,
      });
    }
  }
  if (problems.length > 0) {
    throw new InvalidInputError(
      `cannot name the person on ${problems.length === 1 ? 'one instance' : `${problems.length} instances`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return jobs;
}

/** The same person behind every job: for the audit trail of onboard/offboard. */
export function samePerson(person: PersonRef): PersonLookup {
  return () => person;
}
