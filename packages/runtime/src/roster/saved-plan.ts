import { createHash } from 'node:crypto';
import { describeIssues, InvalidInputError, MEMBERSHIP_STATES } from '@orchester/core';
import { z } from 'zod';
import { parseStructuredText } from '../config/parse-file.js';
import { firstProblems } from '../input.js';
import type { InstanceResolver } from '../run-membership-job.js';
import { readMemberships } from './memberships-now.js';
import { PLAN_CHANGE_KINDS, PLAN_KEEP_KINDS, type Plan } from './plan-types.js';
import type { SnapshotOptions } from './snapshot.js';
import type { Roster } from './types.js';

/** What a saved plan file says it is; a roster never has it. */
export const SAVED_PLAN_FORMAT = 'orchester-plan';
/** The saved plan format this version reads and writes. */
export const SAVED_PLAN_VERSION = 1;

/** Where one identifier the plan changes stood on one instance when the plan was made. */
export interface MembershipFingerprint {
  readonly instance: string;
  readonly identifier: string;
  /** Every name the plan looked the person up by there, the identifier first. */
  readonly keys: readonly string[];
  readonly state: (typeof MEMBERSHIP_STATES)[number];
  readonly role?: string;
}

/** A plan as `orchest plan --out` writes it: the plan, and what it was made from. No secrets. */
export interface SavedPlan {
  readonly format: typeof SAVED_PLAN_FORMAT;
  readonly version: typeof SAVED_PLAN_VERSION;
  readonly createdAt: string;
  /** The roster file and a SHA-256 of its content when the plan was made. */
  readonly roster: { readonly file: string; readonly sha256: string };
  /** One row per change of the plan. */
  readonly memberships: readonly MembershipFingerprint[];
  readonly plan: Plan;
}

/** A membership the plan changes that is not where the plan found it. */
export interface StaleMembership {
  readonly instance: string;
  readonly identifier: string;
  readonly was: { readonly state: string; readonly role?: string };
  readonly now: { readonly state: string; readonly role?: string };
}

export const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

/** The plan with its fingerprint: the roster's content hash and each changed membership's state. */
export function savedPlanOf(
  plan: Plan,
  roster: Roster,
  rosterText: string,
  createdAt: Date,
): SavedPlan {
  const byEmail = new Map(roster.people.map((p) => [p.email, p]));
  const memberships: MembershipFingerprint[] = [];
  for (const inst of plan.instances) {
    for (const c of inst.changes) {
      const known = c.person ? byEmail.get(c.person.email)?.keys.get(c.instance) : undefined;
      memberships.push({
        instance: c.instance,
        identifier: c.identifier,
        keys: [...new Set([c.identifier, ...(known ?? [])])],
        state: c.from,
        ...(c.fromRole !== undefined ? { role: c.fromRole } : {}),
      });
    }
  }
  return {
    format: SAVED_PLAN_FORMAT,
    version: SAVED_PLAN_VERSION,
    createdAt: createdAt.toISOString(),
    roster: { file: plan.roster, sha256: sha256Of(rosterText) },
    memberships,
    plan,
  };
}

/** True when a file's text is a saved plan (rather than a roster), by its format marker. */
export function looksLikeSavedPlan(text: string): boolean {
  return new RegExp(`"format"\\s*:\\s*"${SAVED_PLAN_FORMAT}"`).test(text);
}

const state = z.enum(MEMBERSHIP_STATES);
const options = z.record(z.string(), z.unknown());
const person = z.object({ name: z.string(), email: z.string() });
const entry = <K extends z.ZodType>(kind: K) =>
  z.object({
    instance: z.string().min(1),
    kind,
    identifier: z.string().min(1),
    person: person.optional(),
    from: state,
    fromRole: z.string().optional(),
    toRole: z.string().optional(),
    options: options.optional(),
  });
const counts = z.record(z.string(), z.number().int().nonnegative());
const planSchema = z.object({
  roster: z.string(),
  instances: z.array(
    z.object({
      instance: z.string().min(1),
      type: z.string(),
      prune: z.boolean(),
      current: z.object({
        members: z.number().int().nonnegative(),
        invited: z.number().int().nonnegative(),
        deactivated: z.number().int().nonnegative(),
        admins: z.number().int().nonnegative().optional(),
      }),
      adminsAfter: z.number().int().optional(),
      changes: z.array(entry(z.enum(PLAN_CHANGE_KINDS))),
      kept: z.array(entry(z.enum(PLAN_KEEP_KINDS))),
      unmanaged: z.number().int().nonnegative(),
      snapshot: z.enum(['list', 'check']),
      summary: counts,
    }),
  ),
  summary: counts,
  violations: z.array(
    z.object({
      instance: z.string(),
      limit: z.enum(['maxRemovalRatio', 'minAdmins']),
      message: z.string(),
      by: z.number(),
    }),
  ),
});
const savedPlanSchema = z.object({
  format: z.literal(SAVED_PLAN_FORMAT),
  version: z.literal(SAVED_PLAN_VERSION, {
    error: `this orchester reads saved plan version ${SAVED_PLAN_VERSION}; make the plan again with this version`,
  }),
  createdAt: z.iso.datetime(),
  roster: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  memberships: z.array(
    z.object({
      instance: z.string().min(1),
      identifier: z.string().min(1),
      keys: z.array(z.string().min(1)).min(1),
      state,
      role: z.string().optional(),
    }),
  ),
  plan: planSchema,
});

/**
 * Reads a saved plan file's text: bad JSON or a wrong shape is an input error naming the file
 * and each field. A plan whose changes and fingerprint rows disagree (edited by hand) is refused
 * too: apply could not tell whether what it would change is still as the plan found it.
 */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  const raw = parseStructuredText(
    text,
    file.endsWith('.json') ? file : `${file}.json`,
    'plan file',
  );
  const parsed = savedPlanSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidInputError(
      `plan file ${file} is not a saved plan orchester can carry out:\n${firstProblems(
        describeIssues(parsed.error).map((l) => `  - ${l}`),
        10,
      ).join('\n')}\nMake it again with: orchest plan ROSTER --out ${file}`,
    );
  }
  const saved = parsed.data as unknown as SavedPlan;
  const rows = new Set(saved.memberships.map((m) => `${m.instance}\u0000${m.identifier}`));
  const problems: string[] = [];
  saved.plan.instances.forEach((inst, i) => {
    inst.changes.forEach((c, j) => {
      if (!rows.has(`${c.instance}\u0000${c.identifier}`))
        problems.push(
          `  - plan.instances.${i}.changes.${j}: ${c.instance} ${c.identifier} has no row in memberships`,
        );
    });
  });
  if (problems.length > 0) {
    throw new InvalidInputError(
      `plan file ${file} is not a saved plan orchester can carry out:\n${firstProblems(problems, 10).join('\n')}\nMake it again with: orchest plan ROSTER --out ${file}`,
    );
  }
  return saved;
}

/**
 * The memberships the saved plan changes that are no longer where the plan found them, read
 * as `plan` reads (one snapshot per instance the plan changes).
 */
export async function staleMemberships(
  saved: SavedPlan,
  resolver: InstanceResolver,
  options: SnapshotOptions = {},
): Promise<StaleMembership[]> {
  const targets = new Map<string, string[]>();
  for (const m of saved.memberships)
    targets.set(m.instance, [...(targets.get(m.instance) ?? []), m.identifier]);
  const now = await readMemberships(targets, resolver, options);
  const stale: StaleMembership[] = [];
  for (const m of saved.memberships) {
    const current = now.get(m.instance)!(m.keys);
    if (current.state === m.state && current.role === m.role) continue;
    stale.push({
      instance: m.instance,
      identifier: m.identifier,
      was: { state: m.state, ...(m.role !== undefined ? { role: m.role } : {}) },
      now: { state: current.state, ...(current.role !== undefined ? { role: current.role } : {}) },
    });
  }
  return stale;
}
