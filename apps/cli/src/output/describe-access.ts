import type {
  AccessCheck,
  InstanceAccess,
  InstanceMembers,
  MemberEntry,
  OffboardVerification,
} from '@orchester/runtime';
import { cell } from '../batch/report-format.js';
import { type Paint, plain } from './colour.js';

const DAY_MS = 86_400_000;

/** Whole days from `since` to `now`; undefined when the service gave no time. */
export function daysSince(since: string | undefined, now: number): number | undefined {
  const at = since === undefined ? Number.NaN : Date.parse(since);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.floor((now - at) / DAY_MS));
}

/** Rows as columns padded to their widest cell (the last column is not padded). */
export function table(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function counts(members: readonly MemberEntry[]) {
  const of = (state: MemberEntry['state']) => members.filter((m) => m.state === state).length;
  return { members: of('member'), invited: of('invited'), deactivated: of('deactivated') };
}

/** One instance's heading: its type and how many of each state. */
function heading(inst: InstanceMembers): string {
  if (!inst.listed) {
    return `${inst.instance} (${inst.type}): its connector cannot list members; check people one by one with "orchest -c ${inst.instance} check"`;
  }
  const c = counts(inst.members);
  const deactivated = c.deactivated > 0 ? `, ${c.deactivated} deactivated` : '';
  return `${inst.instance} (${inst.type}): ${plural(c.members, 'member')}, ${plural(c.invited, 'pending invitation')}${deactivated}`;
}

/**
 * The `members` table: per instance a heading, then identifier, person (with a roster), state,
 * role, since, invitation age.
 */
export function describeMembers(
  instances: readonly InstanceMembers[],
  now: number,
  paint: Paint = plain,
  withPerson = false,
): string[] {
  const lines: string[] = [];
  for (const inst of instances) {
    if (lines.length > 0) lines.push('');
    lines.push(heading(inst));
    if (inst.members.length === 0) continue;
    const named = inst.members.some((m) => m.name);
    const rows = inst.members.map((m) => {
      const age = m.state === 'invited' ? daysSince(m.since, now) : undefined;
      return [
        m.identifier,
        ...(named ? [m.name ?? '-'] : []),
        ...(withPerson ? [m.person?.name ?? m.person?.email ?? '-'] : []),
        m.state,
        m.role ?? '-',
        m.since ? m.since.slice(0, 10) : '-',
        age === undefined ? '' : `invited ${plural(age, 'day')} ago`,
      ];
    });
    const header = [
      'IDENTIFIER',
      ...(named ? ['NAME'] : []),
      ...(withPerson ? ['PERSON'] : []),
      'STATE',
      'ROLE',
      'SINCE',
      '',
    ];
    const body = table([header, ...rows], '  ');
    lines.push(paint('dim', body[0]!), ...body.slice(1));
  }
  return lines;
}

/** The `members --json` value: each instance with its counts and members. */
export function membersJson(instances: readonly InstanceMembers[], now: number) {
  return {
    instances: instances.map((inst) => ({
      instance: inst.instance,
      type: inst.type,
      listed: inst.listed,
      counts: counts(inst.members),
      members: inst.members.map(({ instance: _i, type: _t, ...m }) => {
        const age = m.state === 'invited' ? daysSince(m.since, now) : undefined;
        return { ...m, ...(age !== undefined ? { invitationAgeDays: age } : {}) };
      }),
    })),
  };
}

export const MEMBERS_CSV_COLUMNS = [
  'instance',
  'type',
  'identifier',
  'name',
  'person',
  'email',
  'state',
  'role',
  'since',
  'invitation_age_days',
] as const;

/** The `members --csv` text: one row per member or invitation, cells guarded against formulas. */
export function membersCsv(instances: readonly InstanceMembers[], now: number): string {
  const lines = [MEMBERS_CSV_COLUMNS.join(',')];
  for (const inst of instances) {
    for (const m of inst.members) {
      const age = m.state === 'invited' ? daysSince(m.since, now) : undefined;
      lines.push(
        [
          inst.instance,
          inst.type,
          m.identifier,
          m.name,
          m.person?.name,
          m.person?.email ?? m.email,
          m.state,
          m.role,
          m.since,
          age,
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const STRENGTH = { member: 3, invited: 2, deactivated: 1, absent: 0 } as const;

/** The check that says most about access on an instance: a membership, else an invitation... */
function strongest(checks: readonly AccessCheck[]): AccessCheck | undefined {
  const answered = checks.filter((c) => c.state !== undefined);
  return answered.sort((a, b) => STRENGTH[b.state!] - STRENGTH[a.state!])[0];
}

/** What `who` shows for one instance: its access, the state and role found, and by which name. */
export interface WhoRow {
  readonly instance: string;
  readonly access: InstanceAccess['access'];
  readonly state: string;
  readonly role?: string;
  readonly identifier: string;
  readonly note?: string;
}

export function whoRows(verification: OffboardVerification): WhoRow[] {
  return verification.instances.map((inst) => {
    const best = strongest(inst.checks);
    const failed = inst.checks.find((c) => c.error);
    const partial = inst.checks.find((c) => c.partial && c.state === 'absent');
    const note =
      inst.access === 'unknown'
        ? failed
          ? `${failed.identifier}: ${failed.error!.code}: ${failed.error!.message}`
          : partial
            ? `the service shows only part${partial.detail ? `: ${partial.detail}` : ''}`
            : undefined
        : best?.detail;
    return {
      instance: inst.instance,
      access: inst.access,
      state: best?.state ?? 'unknown',
      ...(best?.role ? { role: best.role } : {}),
      identifier: (best ?? inst.checks[0])?.identifier ?? '',
      ...(note ? { note } : {}),
    };
  });
}

const ACCESS_WORD = { none: 'no', remains: 'yes', unknown: 'unknown' } as const;

/** The `who` table: one row per instance, access coloured. */
export function describeWho(verification: OffboardVerification, paint: Paint = plain): string[] {
  const rows = whoRows(verification);
  const body = table([
    ['INSTANCE', 'ACCESS', 'STATE', 'ROLE', 'IDENTIFIER', 'NOTE'],
    ...rows.map((r) => [
      r.instance,
      ACCESS_WORD[r.access],
      r.state,
      r.role ?? '-',
      r.identifier,
      r.note ?? '',
    ]),
  ]);
  const tone = { none: 'good', remains: 'bad', unknown: 'warn' } as const;
  return [
    paint('dim', body[0]!),
    ...body.slice(1).map((line, i) => {
      const access = rows[i]!.access;
      // Colour the ACCESS cell only: it starts after the instance column.
      const at = line.indexOf(ACCESS_WORD[access], rows[i]!.instance.length);
      return `${line.slice(0, at)}${paint(tone[access], ACCESS_WORD[access])}${line.slice(at + ACCESS_WORD[access].length)}`;
    }),
  ];
}
