import type { MembershipJob } from '../job.js';
import type { InstanceResolver } from '../run-membership-job.js';
import type { MembershipNow } from './memberships-now.js';
import { readMemberships } from './memberships-now.js';
import type { SnapshotOptions } from './snapshot.js';

/** What a batch row would do, given where its person stands now. */
export const PREVIEW_KINDS = [
  'add',
  'reactivate',
  'change-role',
  'remove',
  'cancel-invitation',
  'already-member',
  'already-invited',
  'not-member',
  'check',
] as const;
export type PreviewKind = (typeof PREVIEW_KINDS)[number];

/** One job of a batch, where its person stands now, and what running it would do. */
export interface JobPreview {
  readonly instance: string;
  readonly action: MembershipJob['action'];
  readonly identifier: string;
  readonly now: MembershipNow;
  readonly would: PreviewKind;
  /** The role asked for, on adds. */
  readonly toRole?: string;
}

/** True for the kinds that change something on the service. */
export function previewChanges(kind: PreviewKind): boolean {
  return ['add', 'reactivate', 'change-role', 'remove', 'cancel-invitation'].includes(kind);
}

/**
 * What each job would do, without doing it: every instance read once as `plan` reads it (one
 * paginated `list()`, or one `check` per job where the connector cannot list), then each job
 * judged against that snapshot, in the jobs' order.
 */
export async function previewJobs(
  jobs: readonly MembershipJob[],
  resolver: InstanceResolver,
  options: SnapshotOptions = {},
): Promise<JobPreview[]> {
  const targets = new Map<string, string[]>();
  for (const job of jobs)
    targets.set(job.instance, [...(targets.get(job.instance) ?? []), job.identifier]);
  const lookups = await readMemberships(targets, resolver, options);
  const previews: JobPreview[] = [];
  for (const job of jobs) {
    const connector = await resolver.connectorOf(job.instance);
    const now = lookups.get(job.instance)!([job.identifier]);
    const toRole = typeof job.options.role === 'string' ? job.options.role : undefined;
    previews.push({
      instance: job.instance,
      action: job.action,
      identifier: job.identifier,
      now,
      would: judge(job.action, now, toRole, connector.capabilities.roles),
      ...(job.action === 'add' && toRole !== undefined ? { toRole } : {}),
    });
  }
  return previews;
}

function judge(
  action: MembershipJob['action'],
  now: MembershipNow,
  toRole: string | undefined,
  roles: readonly string[],
): PreviewKind {
  if (action === 'check') return 'check';
  if (action === 'remove') {
    if (now.state === 'member') return 'remove';
    if (now.state === 'invited') return 'cancel-invitation';
    return 'not-member';
  }
  if (now.state === 'absent') return 'add';
  if (now.state === 'deactivated') return 'reactivate';
  if (now.state === 'invited') return 'already-invited';
  // As `plan`: a role orchester cannot give (an owner) is not one it changes.
  if (
    toRole !== undefined &&
    now.role !== undefined &&
    now.role !== toRole &&
    roles.includes(now.role)
  )
    return 'change-role';
  return 'already-member';
}
