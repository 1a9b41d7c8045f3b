import type { InstancePlan, Plan, PlanChange } from '@orchester/core';

function who(c: PlanChange): string {
  return c.person && c.person.name !== c.identifier
    ? `${c.identifier} (${c.person.name})`
    : c.identifier;
}

/** One line for a change: "+ add        hal (Hal) as member". */
export function describeChange(c: PlanChange): string {
  switch (c.kind) {
    case 'add':
      return `+ add                ${who(c)}${c.toRole ? ` as ${c.toRole}` : ''}`;
    case 'reactivate':
      return `+ reactivate         ${who(c)}${c.toRole ? ` as ${c.toRole}` : ''}`;
    case 'change-role':
      return `~ change role        ${who(c)}: ${c.fromRole ?? '?'} -> ${c.toRole ?? '?'}`;
    case 'remove':
      return `- remove             ${who(c)}${c.fromRole ? ` (${c.fromRole})` : ''}`;
    case 'cancel-invitation':
      return `- cancel invitation  ${who(c)}`;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describeInstance(p: InstancePlan): string[] {
  const head = `${p.instance} (${p.type}${p.prune ? ', prune' : ''}): ${plural(p.current.members, 'member')}, ${plural(p.current.invited, 'pending invitation')}${p.snapshot === 'check' ? ', checked one by one (no list)' : ''}`;
  const lines = [head, ...p.changes.map((c) => `  ${describeChange(c)}`)];
  const rest = [
    p.summary['in-place'] > 0 ? `${p.summary['in-place']} already right` : '',
    p.summary.pending > 0 ? `${plural(p.summary.pending, 'invitation')} pending` : '',
    p.unmanaged > 0
      ? `${plural(p.unmanaged, 'member or invitation', 'members or invitations')} not in the roster left alone (${p.prune ? 'the service never lets them go, e.g. an owner' : 'prune is off'})`
      : '',
  ].filter(Boolean);
  if (p.changes.length === 0) lines.push('  no changes');
  if (rest.length > 0) lines.push(`  (${rest.join('; ')})`);
  return lines;
}

/** The plan for people: changes grouped by instance, the safety limits it breaks, a summary. */
export function describePlan(plan: Plan): string[] {
  const lines: string[] = [];
  for (const p of plan.instances) lines.push(...describeInstance(p));
  if (plan.violations.length > 0) {
    lines.push('', 'Safety limits (apply refuses unless --force):');
    for (const v of plan.violations) lines.push(`  ! ${v.message}`);
  }
  lines.push('');
  if (plan.summary.changes === 0) {
    lines.push('No changes.');
    return lines;
  }
  const s = plan.summary;
  const parts = [
    s.add > 0 ? `${s.add} to add` : '',
    s.reactivate > 0 ? `${s.reactivate} to reactivate` : '',
    s['change-role'] > 0 ? `${plural(s['change-role'], 'role change')}` : '',
    s.remove > 0 ? `${s.remove} to remove` : '',
    s['cancel-invitation'] > 0 ? `${plural(s['cancel-invitation'], 'invitation')} to cancel` : '',
  ].filter(Boolean);
  const touched = plan.instances.filter((p) => p.changes.length > 0).length;
  lines.push(
    `Plan: ${plural(s.changes, 'change')} on ${plural(touched, 'instance')}: ${parts.join(', ')}.`,
  );
  return lines;
}
