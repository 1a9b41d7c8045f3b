import { InvalidInputError } from '@orchester/core';
import type { MembershipJob } from '../job.js';
import type { PersonLookup, PersonRef } from './jobs.js';
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

/** The same person behind every job: for the audit trail of onboard/offboard. */
export function samePerson(person: PersonRef): PersonLookup {
  return () => person;
}
