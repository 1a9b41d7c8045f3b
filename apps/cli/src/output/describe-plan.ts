import type { InstancePlan, Plan, PlanChange } from '@orchester/runtime';
import { type Paint, plain, type Tone } from './colour.js';

const CHANGE_TONE: Record<PlanChange['kind'], Tone> = {
  add: 'good',
  reactivate: 'good',
  'change-role': 'warn',
  'change-groups': 'warn',
  remove: 'bad',
  'cancel-invitation': 'bad',
};

function who(c: PlanChange): string {
  return c.person && c.person.name !== c.identifier
    ? `${c.identifier} (${c.person.name})`
    : c.identifier;
}

/** "teams +platform (maintainer), -web": what a change does to someone's teams or channels. */
export function describeGroups(c: PlanChange, noun = 'group'): string {
  if (!c.groups) return '';
  const parts = [
    ...c.groups.join.map((g) => {
      const later = c.groups?.afterAcceptance?.find((a) => a.group === g.group)?.role;
      const role = later ? `${g.role}; ${later} on an apply after they accept` : g.role;
      return `+${g.group}${role ? ` (${role})` : ''}`;
    }),
    ...c.groups.leave.map((g) => `-${g}`),
  ];
  return parts.length === 0 ? '' : `${noun}s ${parts.join(', ')}`;
}

/** One line for a change: "+ add        hal (Hal) as member; teams +web". */
export function describeChange(c: PlanChange, noun?: string): string {
  const groups = describeGroups(c, noun);
  const also = groups ? `; ${groups}` : '';
  switch (c.kind) {
    case 'add':
      return `+ add                ${who(c)}${c.toRole ? ` as ${c.toRole}` : ''}${also}`;
    case 'reactivate':
      return `+ reactivate         ${who(c)}${c.toRole ? ` as ${c.toRole}` : ''}${also}`;
    case 'change-role':
      return `~ change role        ${who(c)}: ${c.fromRole ?? '?'} -> ${c.toRole ?? '?'}${also}`;
    case 'change-groups':
      return `~ change ${`${noun ?? 'group'}s`.padEnd(11)} ${who(c)}: ${groups}`;
    case 'remove':
      return `- remove             ${who(c)}${c.fromRole ? ` (${c.fromRole})` : ''}`;
    case 'cancel-invitation':
      return `- cancel invitation  ${who(c)}`;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describeInstance(p: InstancePlan, paint: Paint): string[] {
  const head = `${p.instance} (${p.type}${p.prune ? ', prune' : ''}): ${plural(p.current.members, 'member')}, ${plural(p.current.invited, 'pending invitation')}${p.snapshot === 'check' ? ', checked one by one (no list)' : ''}`;
  const lines = [
    head,
    ...p.changes.map((c) => `  ${paint(CHANGE_TONE[c.kind], describeChange(c, p.groups?.noun))}`),
  ];
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

/** The plan for people (change lines painted by kind): changes grouped by instance, the safety limits it breaks, a summary. */
export function describePlan(plan: Plan, paint: Paint = plain): string[] {
  const lines: string[] = [];
  for (const p of plan.instances) lines.push(...describeInstance(p, paint));
  if (plan.violations.length > 0) {
    lines.push('', 'Safety limits (apply refuses unless --force):');
    for (const v of plan.violations) lines.push(`  ${paint('bad', `! ${v.message}`)}`);
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
    s['change-groups'] > 0
      ? `${plural(s['change-groups'], 'member')} changing teams or channels`
      : '',
    s.remove > 0 ? `${s.remove} to remove` : '',
    s['cancel-invitation'] > 0 ? `${plural(s['cancel-invitation'], 'invitation')} to cancel` : '',
  ].filter(Boolean);
  const touched = plan.instances.filter((p) => p.changes.length > 0).length;
  lines.push(
    `Plan: ${plural(s.changes, 'change')} on ${plural(touched, 'instance')}: ${parts.join(', ')}.`,
  );
  return lines;
}
