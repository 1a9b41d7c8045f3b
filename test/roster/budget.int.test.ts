// A 1,000-person roster planned from one paginated snapshot per instance, counted in the
// emulators' own request logs: at most ceil(members / page size) + 3 requests each.
import { type ConnectorRegistry, parseRoster, plan } from '@orchester/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDriveReaders,
  addGitHubMembers,
  addGitHubUsers,
  addSlackUsers,
  addTrelloAccounts,
  addTrelloMembers,
  clearRequests,
  closeEmulators,
  DRIVE_OWNER,
  type Emulators,
  INSTANCES,
  registryOver,
  startEmulators,
} from './emulators.js';

const { github: GH, slack: SL, trello: TR, gdrive: GD } = INSTANCES;

/**
 * Entries per page each connector asks for; Trello answers every membership in one call, and
 * Drive a My Drive folder's whole list (it sends no pageSize).
 */
const PAGE: Record<string, number> = {
  [GH]: 100,
  [SL]: 200,
  [TR]: Number.POSITIVE_INFINITY,
  [GD]: Number.POSITIVE_INFINITY,
};

const id = (i: number) => `p${String(i).padStart(4, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
/** Roster people p0001..p0999 (and Olive, who owns every service): 1,000 people. */
const ROSTER = range(1, 1000).map(id);
/** p0001..p0899 are there already; p0900..p0999 are to add. */
const PRESENT = range(1, 900).map(id);
const ABSENT = 100;
/** Strangers on every service, to remove. */
const STRANGERS = range(0, 150).map((i) => `s${String(i).padStart(3, '0')}`);

let emulators: Emulators;
let registry: ConnectorRegistry;

beforeAll(async () => {
  emulators = await startEmulators();
  registry = registryOver(emulators);
  const mail = (names: readonly string[]) => names.map((n) => `${n}@example.com`);
  addGitHubMembers(emulators.github.state, [...PRESENT, ...STRANGERS]);
  addGitHubUsers(emulators.github.state, ROSTER);
  addSlackUsers(emulators.slack.state, mail([...PRESENT, ...STRANGERS]));
  addTrelloMembers(emulators.trello.state, [...PRESENT, ...STRANGERS]);
  addTrelloAccounts(emulators.trello.state, ROSTER);
  addDriveReaders(emulators.gdrive.state, mail([...PRESENT, ...STRANGERS]));
});

afterAll(async () => {
  await registry?.close();
  await closeEmulators(emulators);
});

describe('planning 1,000 people', () => {
  it('reads each instance once, page by page, within ceil(members / page) + 3 requests', async () => {
    const all = [GH, SL, TR, GD];
    const roster = await parseRoster(
      {
        instances: Object.fromEntries(all.map((n) => [n, { prune: true, maxRemovalRatio: 1 }])),
        people: [
          {
            name: 'Olive Owner',
            email: 'olive@example.com',
            identities: { github: 'olive', trello: 'olive', gdrive: DRIVE_OWNER },
            access: { [GH]: 'admin', [SL]: null, [TR]: 'admin', [GD]: 'writer' },
          },
          ...ROSTER.map((p) => ({
            name: p,
            email: `${p}@example.com`,
            identities: { github: p, trello: p },
            access: all,
          })),
        ],
      },
      'big.yaml',
      registry,
    );
    expect(roster.people).toHaveLength(1000);
    // From a cold start: Drive's token exchange counts too.
    clearRequests(emulators);

    const p = await plan(roster, registry);

    const members = 1 + PRESENT.length + STRANGERS.length;
    const logs = {
      [GH]: emulators.github.requests,
      [SL]: emulators.slack.requests,
      [TR]: emulators.trello.requests,
      [GD]: emulators.gdrive.requests,
    };
    for (const name of all) {
      const ip = p.instances.find((i) => i.instance === name)!;
      expect(ip.snapshot, name).toBe('list');
      expect(ip.current.members + ip.current.invited, name).toBe(members);
      expect(ip.summary, name).toMatchObject({
        add: ABSENT,
        remove: STRANGERS.length,
        'in-place': 1 + PRESENT.length,
      });
      const pages = Number.isFinite(PAGE[name]!) ? Math.ceil(members / PAGE[name]!) : 1;
      const calls = logs[name]!.length;
      expect(calls, `${name}: ${calls} requests`).toBeLessThanOrEqual(pages + 3);
      // The snapshot really was paged: at least one request per page, all of them reads.
      expect(calls, name).toBeGreaterThanOrEqual(pages);
      // Reads only (Slack's SDK POSTs users.list; Drive POSTs its token exchange).
      const reads = /\/users\.list$|^\/token$/;
      expect(
        logs[name]!.filter((r) => r.method !== 'GET' && !reads.test(r.path)).map((r) => r.path),
        name,
      ).toEqual([]);
    }
    // GitHub pages members by role and then the invitations; more than 100 members, so page 2 exists.
    const github = logs[GH]!.map(
      (r) => `${r.route} ${new URLSearchParams(r.query).get('page') ?? 1}`,
    );
    expect(github).toContain('/orgs/:org/members 11');
    expect(logs[SL]!.filter((r) => r.path.endsWith('users.list'))).toHaveLength(
      Math.ceil((members + 2) / 200),
    );
  });
});
