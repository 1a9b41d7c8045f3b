import type { AccessCheck, InstanceAccess, OffboardVerification } from '@orchester/runtime';
import { type Paint, plain, type Tone } from './colour.js';

function describeCheck(check: AccessCheck): string {
  if (check.error) return `${check.identifier}: ${check.error.code}: ${check.error.message}`;
  if (check.state === 'deactivated') return `${check.identifier}: deactivated, which is no access`;
  if (check.partial && check.state === 'absent') {
    return `${check.identifier}: not found, but the service shows only part${check.detail ? `: ${check.detail}` : ''}`;
  }
  const extras = [check.role ? `role ${check.role}` : undefined, check.detail].filter(Boolean);
  return [`${check.identifier}: ${check.state ?? 'no answer'}`, ...extras].join(', ');
}

/** An instance's name, with the checks worth showing in parentheses. */
function named(instance: InstanceAccess, shown: (check: AccessCheck) => boolean): string {
  const checks = instance.checks.filter(shown);
  return checks.length > 0
    ? `${instance.instance} (${checks.map(describeCheck).join('; ')})`
    : instance.instance;
}

/**
 * The lines after an offboarding's report, each naming instances: "verified: no access on ..."
 * (saying so where that means a deactivated account), "access remains: ..." with what was
 * found, and "could not verify: ..." with the checks that could not tell.
 */
export function describeVerification(
  verification: OffboardVerification,
  paint: Paint = plain,
): string[] {
  const line = (
    access: InstanceAccess['access'],
    label: string,
    tone: Tone,
    shown: (check: AccessCheck) => boolean,
  ) => {
    const instances = verification.instances.filter((i) => i.access === access);
    return instances.length > 0
      ? [`${paint(tone, label)}${instances.map((i) => named(i, shown)).join(', ')}`]
      : [];
  };
  return [
    ...line('none', 'verified: no access on ', 'good', (c) => c.state === 'deactivated'),
    ...line(
      'remains',
      'access remains: ',
      'bad',
      (c) => c.state === 'member' || c.state === 'invited',
    ),
    ...line('unknown', 'could not verify: ', 'warn', (c) => !!c.error || !c.state || !!c.partial),
  ];
}
