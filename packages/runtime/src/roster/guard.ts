import { InvalidInputError } from '@orchester/core';
import type { GuardViolation, InstancePlan, Plan } from './plan-types.js';
import type { Roster } from './types.js';

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** The limits each instance's plan breaks: removals over `maxRemovalRatio`, admins under `minAdmins`. */
export function checkGuards(roster: Roster, plans: readonly InstancePlan[]): GuardViolation[] {
  const violations: GuardViolation[] = [];
  for (const p of plans) {
    const inst = roster.instances.find((i) => i.name === p.instance);
    if (!inst) continue;
    const members = p.current.members;
    const removals = p.changes.filter((c) => c.kind === 'remove').length;
    const allowed = Math.floor(inst.maxRemovalRatio * members);
    if (removals > allowed) {
      const by = removals - allowed;
      violations.push({
        instance: p.instance,
        limit: 'maxRemovalRatio',
        by,
        message: `${p.instance}: would remove ${removals} of ${members} members (${percent(members > 0 ? removals / members : 1)}), over maxRemovalRatio ${percent(inst.maxRemovalRatio)} by ${by} ${by === 1 ? 'person' : 'people'}`,
      });
    }
    const before = p.current.admins;
    const after = p.adminsAfter;
    // Only a plan that takes admins away is refused: an instance already under the limit is not made worse.
    if (before !== undefined && after !== undefined && after < inst.minAdmins && after < before) {
      const by = inst.minAdmins - after;
      violations.push({
        instance: p.instance,
        limit: 'minAdmins',
        by,
        message: `${p.instance}: would leave ${after} ${inst.adminRole} ${after === 1 ? 'member' : 'members'} (now ${before}), under minAdmins ${inst.minAdmins} by ${by}`,
      });
    }
  }
  return violations;
}

/** Refuses a plan that breaks a limit, naming each one, unless `force`. Exit code 2. */
export function assertPlanSafe(plan: Plan, options: { force?: boolean } = {}): void {
  if (options.force || plan.violations.length === 0) return;
  const lines = plan.violations.map((v) => `  - ${v.message}`);
  throw new InvalidInputError(
    `refusing to apply ${plan.roster}: the plan breaks ${plan.violations.length === 1 ? 'a safety limit' : `${plan.violations.length} safety limits`}:\n${lines.join('\n')}\nCheck the roster; pass --force to go on anyway`,
    { details: { violations: plan.violations.map((v) => ({ ...v })) } },
  );
}
