import { z } from 'zod';
import {
  type AnyConnector,
  type ConnectorLimits,
  defineConnector,
  type MembershipOptions,
} from '../contract.js';
import type { GroupMembership, MembershipState } from '../membership.js';

export interface MemoryMember {
  state: Exclude<MembershipState, 'absent'>;
  role: string;
  /** Other names `list()` reports for this person (an e-mail beside a login). */
  aliases?: readonly string[];
  /** Why the service never lets this member go (as `list()` reports it). */
  protected?: string;
  /** Since when they are a member or invited (ISO 8601), as `list()` reports it. */
  since?: string;
  /** Teams the member is in, with `groups: true` (contract 1.3). */
  groups?: GroupMembership[];
}

export interface MemoryConnectorOptions {
  readonly id?: string;
  readonly members?: Record<string, MemoryMember | Exclude<MembershipState, 'absent'>>;
  readonly limits?: ConnectorLimits;
  readonly serialWrites?: boolean;
  /** Delay of every call, in ms (real timers). */
  readonly latencyMs?: number;
  /** `list()` answers in pages of this size, one service call each; unset: one call for all. */
  readonly pageSize?: number;
  /** `add` with another role changes a member's role (`role-changed`), as GitHub's PUT does. */
  readonly changesRoles?: boolean;
  /**
   * Contract 1.3 groups: teams with `member`/`maintainer` roles, joined with the `teams` option
   * (`name` or `name:role`), left with `leaveTeams`, and listed when `list` is asked for them.
   */
  readonly groups?: boolean;
}

const GROUPS = {
  noun: 'team',
  joinOption: 'teams',
  leaveOption: 'leaveTeams',
  roles: ['member', 'maintainer'],
} as const;

const groupOptionsSchema = z
  .object({
    role: z.enum(['member', 'admin']).optional(),
    fullName: z.string().optional(),
    teams: z.array(z.string().regex(/^[a-z0-9-]+(:(member|maintainer))?$/)).optional(),
    leaveTeams: z.array(z.string().regex(/^[a-z0-9-]+$/)).optional(),
  })
  .strict() as unknown as z.ZodType<MembershipOptions>;

/** Joins and leaves the teams `opts` names; true when that changed something. */
function settleGroups(member: MemoryMember, opts: MembershipOptions): boolean {
  const join = Array.isArray(opts.teams) ? (opts.teams as string[]) : [];
  const leave = Array.isArray(opts.leaveTeams) ? (opts.leaveTeams as string[]) : [];
  const before = JSON.stringify(member.groups ?? []);
  const groups = (member.groups ?? []).filter((g) => !leave.includes(g.group));
  for (const entry of join) {
    const [group = entry, role = 'member'] = entry.split(':');
    const at = groups.findIndex((g) => g.group === group);
    if (at >= 0) groups[at] = { group, role };
    else groups.push({ group, role });
  }
  member.groups = groups;
  return JSON.stringify(groups) !== before;
}

/** The service behind the in-memory connector: its members, its calls, and errors to throw next. */
export class MemoryService {
  readonly members = new Map<string, MemoryMember>();
  readonly calls: Array<{ action: string; identifier: string }> = [];
  /** Errors thrown by the next calls, in order. */
  readonly failures: unknown[] = [];
  /** Writes that changed something, in order: a second delivery of a job shows up here as a duplicate. */
  readonly changes: Array<{ action: 'add' | 'remove'; identifier: string }> = [];
  /** Errors thrown by the next writes after they changed something: the answer was lost. */
  readonly lostAnswers: unknown[] = [];

  next(action: string, identifier: string): void {
    this.calls.push({ action, identifier });
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
  }

  /** Records a write that changed something; throws when its answer is to be lost. */
  changed(action: 'add' | 'remove', identifier: string): void {
    this.changes.push({ action, identifier });
    const lost = this.lostAnswers.shift();
    if (lost !== undefined) throw lost;
  }
}

/**
 * An in-memory connector for tests of runners, CLIs and workers: a real `defineConnector` value
 * whose service is a Map. Identifiers are lower-case words or e-mails.
 */
export function createMemoryConnector(options: MemoryConnectorOptions = {}): {
  connector: AnyConnector;
  service: MemoryService;
} {
  const service = new MemoryService();
  for (const [id, m] of Object.entries(options.members ?? {})) {
    service.members.set(id, typeof m === 'string' ? { state: m, role: 'member' } : m);
  }
  const wait = () =>
    options.latencyMs ? new Promise((r) => setTimeout(r, options.latencyMs)) : Promise.resolve();
  const connector = defineConnector({
    id: options.id ?? 'memory',
    displayName: 'In-memory',
    configSchema: z.object({ label: z.string().optional(), token: z.string().optional() }).strict(),
    identifierSchema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._@+-]*$/i, 'letters, digits, ., _, @, + and -')
      .transform((s) => s.toLowerCase()),
    identifierHint: 'a user name or an e-mail address',
    capabilities: {
      actions: ['check', 'add', 'remove'],
      roles: ['member', 'admin'],
      list: true,
      serialWrites: options.serialWrites ?? false,
      ...(options.groups ? { groups: GROUPS } : {}),
    },
    ...(options.groups ? { optionsSchema: groupOptionsSchema } : {}),
    limits: options.limits ?? { concurrency: 50 },
    create: () => ({
      async check(identifier) {
        service.next('check', identifier);
        await wait();
        const m = service.members.get(identifier);
        return m ? { state: m.state, role: m.role } : { state: 'absent' };
      },
      async add(identifier, opts, attempt) {
        service.next('add', identifier);
        await wait();
        const m = service.members.get(identifier);
        if (m?.state === 'member' && options.groups) settleGroups(m, opts);
        if (m?.state === 'member') {
          if (options.changesRoles && opts.role !== undefined && opts.role !== m.role) {
            const role = opts.role;
            await attempt.change('role-changed', async () => {
              service.members.set(identifier, { ...m, role });
              service.changed('add', identifier);
            });
            return { outcome: 'role-changed', role };
          }
          return { outcome: 'already-member', role: m.role };
        }
        if (m?.state === 'invited') return { outcome: 'already-invited', role: m.role };
        const role = opts.role ?? 'member';
        const outcome = m?.state === 'deactivated' ? 'reactivated' : 'added';
        await attempt.change(outcome, async () => {
          const member: MemoryMember = { state: 'member', role };
          if (options.groups) settleGroups(member, opts);
          service.members.set(identifier, member);
          service.changed('add', identifier);
        });
        return { outcome, role };
      },
      async remove(identifier, _opts, attempt) {
        service.next('remove', identifier);
        await wait();
        const m = service.members.get(identifier);
        if (!m || m.state === 'deactivated') return { outcome: 'not-member' };
        const outcome = m.state === 'invited' ? 'invitation-cancelled' : 'removed';
        await attempt.change(outcome, async () => {
          service.members.delete(identifier);
          service.changed('remove', identifier);
        });
        return { outcome };
      },
      async *list(listOptions = {}) {
        const asked = options.groups ? listOptions.groups : undefined;
        const all = [...service.members];
        const size = options.pageSize ?? Math.max(all.length, 1);
        for (let start = 0, page = 1; start === 0 || start < all.length; start += size, page++) {
          service.next('list', options.pageSize ? `page ${page}` : '*');
          for (const [identifier, m] of all.slice(start, start + size)) {
            yield {
              identifier,
              state: m.state,
              role: m.role,
              ...(m.aliases ? { aliases: m.aliases } : {}),
              ...(m.protected ? { protected: m.protected } : {}),
              ...(m.since ? { since: m.since } : {}),
              ...(asked && m.state === 'member'
                ? { groups: (m.groups ?? []).filter((g) => asked.includes(g.group)) }
                : {}),
            };
          }
        }
      },
    }),
  });
  return { connector, service };
}
