// A connector's options are flags of add and rm (`--teams a,b`, `--removeFromBoards`) and
// columns of a batch file (`"a,b"`, `true`), checked against the instance's own connector.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import githubEmulator from '@orchester/connector-github/sandbox';
import slackEmulator, { SANDBOX_CHANNELS } from '@orchester/connector-slack/sandbox';
import trelloEmulator from '@orchester/connector-trello/sandbox';
import { findConnectorPackages, importOptionsSchema, loadConnector } from '@orchester/runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';
import { CLI_DIR } from './cli-dir.js';

type Emulator = Awaited<ReturnType<typeof githubEmulator.start>>;

let gh: Emulator;
let trello: Awaited<ReturnType<typeof trelloEmulator.start>>;
let slack: Awaited<ReturnType<typeof slackEmulator.start>>;
let dir: string;

const block = (type: string, e: { url: string; configBlock(): Record<string, unknown> }) => ({
  type,
  ...e.configBlock(),
  base_url: e.url,
});

function writeConfig(trelloExtra: Record<string, unknown> = {}): void {
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({
      audit: { path: 'audit.jsonl' },
      connectors: {
        github: block('github', gh),
        trello: { ...block('trello', trello), ...trelloExtra },
        slack: block('slack', slack),
      },
    }),
    { mode: 0o600 },
  );
}

const orchest = (...args: string[]) => runCli(args, { cwd: dir });
const acme = () => gh.state.orgs.acme!;
/** The teams `login` is in (pending or active). */
const teamsOf = (login: string) =>
  acme()
    .teams.filter((t) => login in t.members)
    .map((t) => t.slug);
/** Trello removals, as `DELETE .../members/ID` or `DELETE .../members/ID/all`. */
const trelloRemovals = () =>
  trello.requests
    .filter((r) => r.method === 'DELETE')
    .map((r) => (r.path.endsWith('/all') ? 'all boards' : 'workspace only'));

beforeAll(async () => {
  [gh, trello, slack] = await Promise.all([
    githubEmulator.start({ seed: 'demo' }),
    trelloEmulator.start({ seed: 'demo' }),
    slackEmulator.start({ seed: 'demo' }),
  ]);
});
afterAll(async () => {
  await Promise.all([gh.close(), trello.close(), slack.close()]);
});
beforeEach(() => {
  for (const e of [gh, trello, slack]) e.reset('demo');
  acme().teams.push({ id: 990_001, slug: 'ops', name: 'Ops', members: {} });
  dir = mkdtempSync(join(tmpdir(), 'orch-options-'));
  writeConfig();
});

describe("each connector's ./options entry", () => {
  it('is the schema the connector checks options with, so help lists what add accepts', async () => {
    const packages = findConnectorPackages({ from: CLI_DIR, includeGlobal: false });
    expect(packages.map((p) => p.type)).toEqual(['gdrive', 'github', 'slack', 'trello']);
    for (const pkg of packages) {
      const connector = await loadConnector(pkg);
      expect({
        type: pkg.type,
        same: (await importOptionsSchema(pkg)) === connector.optionsSchema,
      }).toEqual({
        type: pkg.type,
        same: true,
      });
    }
  });
});

describe('connector options as flags', () => {
  it('add --teams a,b reaches GitHub as two teams, as does --teams given twice', async () => {
    expect(teamsOf('carol')).toEqual([]);
    const listed = await orchest('-c', 'github', 'add', 'carol', '--teams', 'engineering,ops');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(teamsOf('carol')).toEqual(['engineering', 'ops']);

    const repeated = await orchest(
      '-c',
      'github',
      'add',
      'dave',
      '--teams',
      'ops',
      '--teams',
      'engineering',
    );
    expect(repeated).toMatchObject({ code: 0, stderr: '' });
    expect(teamsOf('dave')).toEqual(['engineering', 'ops']);
  });

  it('rm --removeFromBoards and --no-removeFromBoards reach Trello as the /all form or not', async () => {
    writeConfig({ remove_from_boards: true });
    expect(await orchest('-c', 'trello', 'rm', 'grace', '--no-removeFromBoards')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('grace: removed from trello'),
    });
    writeConfig();
    expect(await orchest('-c', 'trello', 'rm', 'ken', '--removeFromBoards')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('ken: removed from trello'),
    });
    expect(trelloRemovals()).toEqual(['workspace only', 'all boards']);
  });

  it('an option of another connector or action is exit 2, naming what the instance takes, and sends nothing', async () => {
    const drive = await orchest(
      '-c',
      'github',
      'add',
      'carol',
      '--expirationTime',
      '2026-12-31T00:00:00Z',
    );
    expect(drive.code).toBe(2);
    expect(drive.stderr).toContain(
      'add: --expirationTime is not an option of github (github); it takes --role, --teams, --leaveTeams, --fullName',
    );
    const teamsOnRm = await orchest('-c', 'github', 'rm', 'carol', '--teams', 'ops');
    expect(teamsOnRm.code).toBe(2);
    expect(teamsOnRm.stderr).toContain("rm: Unknown option '--teams'");
    const boardsOnGitHub = await orchest('-c', 'github', 'rm', 'carol', '--removeFromBoards');
    expect(boardsOnGitHub.code).toBe(2);
    expect(boardsOnGitHub.stderr).toContain(
      '--removeFromBoards is not an option of github (github); it takes no options',
    );
    expect([...gh.requests, ...trello.requests]).toEqual([]);
  });
});

describe('connector options in batch files', () => {
  it('a CSV cell "a,b" is a list and "true" a boolean, under a lower-cased header', async () => {
    writeFileSync(
      join(dir, 'batch.csv'),
      'instance,action,identifier,teams,removeFromBoards\n' +
        'github,add,carol,"engineering,ops",\n' +
        'trello,remove,ken,,true\n',
    );
    const result = await orchest('batch', 'apply', 'batch.csv', '--inline');
    expect(result.stdout).toContain('2/2 succeeded');
    expect(result.code).toBe(0);
    expect(teamsOf('carol')).toEqual(['engineering', 'ops']);
    expect(trelloRemovals()).toEqual(['all boards']);
  });
});

describe('Slack channels per person', () => {
  it('a batch row giving Slack channels invites the person to them, and leaveChannels kicks', async () => {
    writeFileSync(
      join(dir, 'batch.csv'),
      [
        'instance,action,identifier,channels,leaveChannels',
        `slack,add,mona@example.com,${SANDBOX_CHANNELS.onboarding},`,
        `slack,add,ada@example.com,,${SANDBOX_CHANNELS.onboarding}`,
        '',
      ].join('\n'),
    );
    const result = await orchest('batch', 'apply', 'batch.csv', '--inline');
    expect(result.code).toBe(0);
    const onboarding = slack.state.channels.find((c) => c.id === SANDBOX_CHANNELS.onboarding)!;
    expect(onboarding.members).toContain('U0MEMBER01');
    expect(onboarding.members).not.toContain('U0ADA00001');
  });
});
