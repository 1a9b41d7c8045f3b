// Offboarding one person from every service at once: members and pending invitations alike.
import {
  type ConnectorRegistry,
  findPerson,
  isBatchReport,
  offboardJobs,
  parseRoster,
  withoutUnrecordedEmails,
} from '@orchester/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acmeInvitations,
  addDriveReaders,
  addGitHubMembers,
  addSlackUsers,
  addTrelloMembers,
  closeEmulators,
  drivePeople,
  type Emulators,
  INSTANCES,
  inlineSubmitFor,
  registryOver,
  slackPeople,
  slackUser,
  startEmulators,
  trelloPeople,
} from './emulators.js';

const { github: GH, slack: SL, trello: TR, gdrive: GD } = INSTANCES;

let emulators: Emulators;
let registry: ConnectorRegistry;

beforeAll(async () => {
  emulators = await startEmulators();
  registry = registryOver(emulators);
});

afterAll(async () => {
  await registry?.close();
  await closeEmulators(emulators);
});

describe('offboard', () => {
  it('takes a person out of two services they belong to, one they are invited to, and skips the fourth, in one batch', async () => {
    // Zed: member on GitHub and Trello, invited on Slack, absent on Drive. Ada stays everywhere.
    addGitHubMembers(emulators.github.state, ['zed', 'ada']);
    addTrelloMembers(emulators.trello.state, ['zed', 'ada']);
    addSlackUsers(emulators.slack.state, ['ada@example.com']);
    addSlackUsers(emulators.slack.state, ['zed@example.com'], { invited: true });
    addDriveReaders(emulators.gdrive.state, ['ada@example.com']);

    const roster = await parseRoster(
      {
        instances: { [GH]: {}, [SL]: {}, [TR]: {}, [GD]: {} },
        people: [
          {
            name: 'Zed Zimmer',
            email: 'Zed@Example.com',
            identities: { github: 'zed', trello: 'zed' },
            // The roster only assigns Zed to GitHub; offboarding covers every instance it names.
            access: [GH],
          },
        ],
      },
      'team.yaml',
      registry,
    );
    const jobs = offboardJobs(roster, findPerson(roster, 'zed zimmer'), 'b-off');
    expect(jobs.map((j) => `${j.instance} ${j.action} ${j.identifier}`)).toEqual([
      `${GD} remove zed@example.com`,
      `${GH} remove zed`,
      `${GH} remove zed@example.com`,
      `${SL} remove zed@example.com`,
      `${TR} remove zed`,
      `${TR} remove zed@example.com`,
    ]);

    // Trello hides e-mails and orchester never invited zed@ there: the login removes the account,
    // and the removal by that e-mail is left out, as orchest offboard does.
    const sendable = await withoutUnrecordedEmails(jobs, registry);
    expect(sendable.skipped.map((j) => `${j.instance} ${j.identifier}`)).toEqual([
      `${TR} zed@example.com`,
    ]);
    const report = await inlineSubmitFor(registry)('b-off', sendable.jobs);
    if (!isBatchReport(report)) throw new Error('expected one inline report');
    expect(report.batchId).toBe('b-off');
    expect(report.totals).toMatchObject({ jobs: 5, succeeded: 5, failed: 0 });
    const outcomes = (instance: string) =>
      report.jobs
        .filter((j) => j.instance === instance)
        .map((j) => j.outcome)
        .sort();
    expect(outcomes(GH)).toEqual(['not-member', 'removed']);
    expect(outcomes(SL)).toEqual(['invitation-cancelled']);
    expect(outcomes(TR)).toEqual(['removed']);
    expect(outcomes(GD)).toEqual(['not-member']);

    expect(emulators.github.state.orgs.acme!.members).toEqual({ olive: 'admin', ada: 'member' });
    expect(acmeInvitations(emulators.github.state)).toEqual([]);
    expect(slackUser(emulators.slack.state, 'zed@example.com')).toBeUndefined();
    expect(slackPeople(emulators.slack.state)).toEqual({
      'olive@example.com': 'member',
      'ada@example.com': 'member',
    });
    expect(trelloPeople(emulators.trello.state)).toEqual({ olive: 'admin', ada: 'normal' });
    expect(drivePeople(emulators.gdrive.state)).toEqual({
      'owner@example.com': 'owner',
      'ada@example.com': 'reader',
    });
  });
});
