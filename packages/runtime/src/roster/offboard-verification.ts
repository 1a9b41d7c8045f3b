import type { MembershipState } from '@orchester/core';
import type { MembershipJob } from '../job.js';
import type { JobReport } from '../report.js';

/**
 * What is left of a person's access on one instance after offboarding: `remains` (a check
 * found a membership or an invitation), `unknown` (a check could not be made, or every check
 * could look at only part of the service), else `none` (no membership, no invitation; a
 * deactivated account is no access).
 */
export type AccessLeft = 'none' | 'remains' | 'unknown';

/** One identifier's check after offboarding: its state, or why it could not be made. */
export interface AccessCheck {
  readonly identifier: string;
  readonly state?: MembershipState;
  readonly role?: string;
  readonly detail?: string;
  /** The service showed only part of where the person may be (`CheckResult.partial`). */
  readonly partial?: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface InstanceAccess {
  readonly instance: string;
  readonly access: AccessLeft;
  readonly checks: readonly AccessCheck[];
}

/** The checks made after an offboarding, by instance. */
export interface OffboardVerification {
  /** True only when every check was made and none found access. */
  readonly verified: boolean;
  readonly instances: readonly InstanceAccess[];
}

/** States in which the person can still get in: a membership, or an invitation to accept. */
const ACCESS: readonly MembershipState[] = ['member', 'invited'];

/** A `check` of every identifier the person was removed by, on each instance, once. */
export function accessChecks(removals: readonly MembershipJob[]): MembershipJob[] {
  const seen = new Set<string>();
  const checks: MembershipJob[] = [];
  for (const job of removals) {
    const key = `${job.instance}\u0000${job.identifier}`;
    if (seen.has(key)) continue;
    seen.add(key);
    checks.push({
      instance: job.instance,
      action: 'check',
      identifier: job.identifier,
      options: {},
      batchId: job.batchId,
    });
  }
  return checks;
}

/** What the checks of `accessChecks` found, by instance (sorted by name). */
export function verifyOffboarding(checks: readonly JobReport[]): OffboardVerification {
  const byInstance = new Map<string, AccessCheck[]>();
  for (const row of checks) {
    const list = byInstance.get(row.instance) ?? [];
    list.push(
      row.status === 'succeeded'
        ? {
            identifier: row.identifier,
            ...(row.state ? { state: row.state } : {}),
            ...(row.role ? { role: row.role } : {}),
            ...(row.detail ? { detail: row.detail } : {}),
            ...(row.partial ? { partial: true } : {}),
          }
        : {
            identifier: row.identifier,
            error: { code: row.error?.code ?? 'ORCH_INTERNAL', message: row.error?.message ?? '' },
          },
    );
    byInstance.set(row.instance, list);
  }
  const instances = [...byInstance]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([instance, list]): InstanceAccess => {
      const access: AccessLeft = list.some((c) => c.state && ACCESS.includes(c.state))
        ? 'remains'
        : list.some((c) => c.error || !c.state) || list.every((c) => c.partial)
          ? 'unknown'
          : 'none';
      return { instance, access, checks: list };
    });
  return { verified: instances.every((i) => i.access === 'none'), instances };
}
