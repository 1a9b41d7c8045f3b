// Plan, apply and plan again on all four emulators with the real SDKs, auditing every change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditLog,
  apply,
  type BatchReport,
  type ConnectorRegistry,
  isBatchReport,
  type Plan,
  type PlanEntry,
  parseRoster,
  peopleOfPlan,
  plan,
  type Roster,
  readAuditRecords,
} from '@orchester/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acmeInvitations,
  closeEmulators,
  DRIVE_OWNER,
  drivePeople,
  type Emulators,
  INSTANCES,
  inlineSubmitFor,
  registryOver,
  slackPeople,
  startEmulators,
  trelloPeople,
} from './emulators.js';
import {
  expectedChanges,
  expectedCurrent,
  expectedKept,
  expectedOutcomes,
  scenarioRoster,
  seedScenario,
} from './scenario.js';

const { github: GH, slack: SL, trello: TR, gdrive: GD } = INSTANCES;

function line(e: PlanEntry): string {
  const roles =
    e.kind === 'add'
      ? ` →${e.toRole}`
      : e.kind === 'change-role'
        ? ` ${e.fromRole}→${e.toRole}`
        : e.kind === 'remove' || e.kind === 'cancel-invitation'
          ? ` ${e.fromRole ?? ''}→`
          : '';
  return `${e.kind} ${e.identifier}${roles}${e.person ? ` (${e.person.name})` : ''}`;
}

const instancePlan = (p: Plan, name: string) => p.instances.find((i) => i.instance === name)!;

let emulators: Emulators;
let registry: ConnectorRegistry;
let roster: Roster;
let dir: string;

beforeAll(async () => {
  emulators = await startEmulators();
  seedScenario(emulators);
  registry = registryOver(emulators);
  roster = await parseRoster(scenarioRoster, 'team.yaml', registry);
  dir = mkdtempSync(join(tmpdir(), 'orchester-roster-'));
});

afterAll(async () => {
  await registry?.close();
  await closeEmulators(emulators);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a roster against the four emulators', () => {
  let first: Plan;

  it('plans adds, removals, role changes and pending invitations, change by change', async () => {
    first = await plan(roster, registry);
    for (const name of [GH, SL, TR, GD]) {
      const p = instancePlan(first, name);
      expect(p.snapshot, name).toBe('list');
      expect(p.changes.map(line).sort(), name).toEqual([...expectedChanges[name]!].sort());
      expect(p.kept.map((k) => `${k.kind} ${k.identifier}`).sort(), name).toEqual(
        [...expectedKept[name]!].sort(),
      );
      const want = expectedCurrent[name]!;
      expect(
        {
          members: p.current.members,
          invited: p.current.invited,
          admins: p.current.admins,
          adminsAfter: p.adminsAfter,
        },
        name,
      ).toEqual(want);
    }
    expect(first.violations).toEqual([]);
    const total = Object.values(expectedChanges).reduce((n, l) => n + l.length, 0);
    expect(first.summary.changes).toBe(total);
  });

  it('applies inline, audits every change, and a second plan answers no changes', async () => {
    const log = new AuditLog(join(dir, 'audit.jsonl'));
    log.open();
    const result = await apply(first, {
      batchId: 'b-roster-1',
      submit: inlineSubmitFor(registry, {
        log,
        actor: 'roster-test',
        personOf: peopleOfPlan(first),
      }),
    });
    expect(isBatchReport(result)).toBe(true);
    const report = result as BatchReport;
    const failed = report.jobs.filter((j) => j.status !== 'succeeded');
    expect(failed.map((j) => `${j.instance} ${j.identifier}: ${j.error?.message}`)).toEqual([]);

    // Each change's job answers what the change was; an add invites or adds, as the service does.
    const addOutcome: Record<string, Record<string, string>> = {
      [GH]: { hana: 'invited' },
      [SL]: { 'carol@example.com': 'invited', 'hana@example.com': 'invited' },
      [TR]: { bob: 'added', 'hana@example.com': 'invited' },
      [GD]: { 'bob@example.com': 'added', 'hana@example.com': 'added' },
    };
    const changes = first.instances.flatMap((p) => p.changes);
    expect(report.jobs).toHaveLength(changes.length);
    for (const c of changes) {
      const job = report.jobs.find(
        (j) => j.instance === c.instance && j.identifier === c.identifier,
      );
      const want =
        c.kind === 'add' ? addOutcome[c.instance]?.[c.identifier] : expectedOutcomes[c.kind];
      expect(`${c.instance} ${c.identifier} ${job?.outcome}`).toBe(
        `${c.instance} ${c.identifier} ${want}`,
      );
    }

    // The audit file has one record per change, naming the roster person where there is one.
    const { records, unreadableLines } = readAuditRecords(log.path);
    expect(unreadableLines).toBe(0);
    expect(records).toHaveLength(changes.length);
    for (const c of changes) {
      const record = records.find(
        (r) => r.instance === c.instance && r.identifier === c.identifier,
      );
      const job = report.jobs.find(
        (j) => j.instance === c.instance && j.identifier === c.identifier,
      );
      expect(record, `${c.instance} ${c.identifier}`).toMatchObject({
        actor: 'roster-test',
        action: c.kind === 'remove' || c.kind === 'cancel-invitation' ? 'remove' : 'add',
        outcome: job?.outcome,
        batchId: 'b-roster-1',
        jobId: job?.jobId,
        ...(c.person ? { person: c.person.name, email: c.person.email } : {}),
      });
    }
    expect(new Set(records.map((r) => r.jobId)).size).toBe(records.length);

    // The services now hold exactly what the roster says (invitations stay pending).
    const acme = emulators.github.state.orgs.acme!;
    expect(acme.members).toEqual({ olive: 'admin', ada: 'member', bob: 'admin', carol: 'member' });
    expect(acmeInvitations(emulators.github.state).sort()).toEqual(['erin', 'hana']);
    expect(slackPeople(emulators.slack.state)).toEqual({
      'olive@example.com': 'member',
      'ada@example.com': 'member',
      'erin@example.com': 'invited',
      'carol@example.com': 'invited',
      'hana@example.com': 'invited',
    });
    expect(trelloPeople(emulators.trello.state)).toEqual({
      olive: 'admin',
      ada: 'normal',
      bob: 'normal',
      'erin@example.com': 'invited',
      'hana@example.com': 'invited',
    });
    expect(drivePeople(emulators.gdrive.state)).toEqual({
      [DRIVE_OWNER]: 'owner',
      'ada@example.com': 'writer',
      'bob@example.com': 'reader',
      'hana@example.com': 'reader',
    });

    const again = await plan(roster, registry);
    for (const p of again.instances) expect(p.changes.map(line), p.instance).toEqual([]);
    expect(again.summary.changes).toBe(0);
    // New invitations now wait as pending: GitHub, Slack and Trello invited Hana.
    expect(instancePlan(again, GH).summary.pending).toBe(2);
    expect(instancePlan(again, SL).summary.pending).toBe(3);
    expect(instancePlan(again, TR).summary.pending).toBe(2);
    expect(instancePlan(again, GD).summary['in-place']).toBe(4);
  });
});
