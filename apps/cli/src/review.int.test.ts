import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gdriveEmulator from '@orchester/connector-gdrive/sandbox';
import githubEmulator from '@orchester/connector-github/sandbox';
import slackEmulator from '@orchester/connector-slack/sandbox';
import trelloEmulator from '@orchester/connector-trello/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dumpDom, findChromium, screenshot } from '../test/headless-browser.js';
import { runCli } from '../test/run-cli.js';

let gh: Awaited<ReturnType<typeof githubEmulator.start>>;
let slack: Awaited<ReturnType<typeof slackEmulator.start>>;
let trello: Awaited<ReturnType<typeof trelloEmulator.start>>;
let drive: Awaited<ReturnType<typeof gdriveEmulator.start>>;
let dir: string;
const orchest = (...args: string[]) => runCli(args, { cwd: dir });
const DAY = 86_400_000;
const githubTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const acme = () => gh.state.orgs.acme!;

/** RFC 4180 rows (quoted cells with commas, quotes and line breaks), header first. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

/** Every `data-count` number of a page, by name; a name shown twice must show the same number. */
function countsOf(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of html.matchAll(/data-count="([^"]+)">(\d+)</g)) {
    const [, name, value] = m;
    if (counts[name!] !== undefined) expect(counts[name!], name).toBe(Number(value));
    counts[name!] = Number(value);
  }
  return counts;
}

const ADMIN = ['admin', 'owner', 'organizer'];

/** The numbers the page should show, worked out from the CSV alone. */
function countsFromCsv(rows: Record<string, string>[], staleDays: number) {
  const withAccess = rows.filter((r) => r.state !== 'deactivated');
  const keyOf = (r: Record<string, string>) => r.email || `${r.instance}:${r.identifier}`;
  return {
    instances: new Set(rows.map((r) => r.instance)).size,
    people: new Set(withAccess.map(keyOf)).size,
    members: rows.filter((r) => r.state === 'member').length,
    invited: rows.filter((r) => r.state === 'invited').length,
    deactivated: rows.filter((r) => r.state === 'deactivated').length,
    admins: rows.filter((r) => r.state === 'member' && ADMIN.includes(r.role!)).length,
    notInRoster: withAccess.filter((r) => r.in_roster === 'no').length,
    staleInvitations: rows.filter(
      (r) => r.invitation_age_days !== '' && Number(r.invitation_age_days) > staleDays,
    ).length,
    matrixRows: new Set(rows.map(keyOf)).size,
  };
}

const filesIn = (out: string, prefix: string, ext: string) =>
  readdirSync(out)
    .filter((f) => f.startsWith(prefix) && f.endsWith(ext))
    .sort()
    .map((f) => join(out, f));

beforeAll(async () => {
  [gh, slack, trello, drive] = await Promise.all([
    githubEmulator.start({ seed: 'demo' }),
    slackEmulator.start({ seed: 'demo' }),
    trelloEmulator.start({ seed: 'demo' }),
    gdriveEmulator.start({ seed: 'demo' }),
  ]);
});
afterAll(async () => {
  await Promise.all([gh.close(), slack.close(), trello.close(), drive.close()]);
});
beforeEach(() => {
  for (const e of [gh, slack, trello, drive]) {
    e.reset('demo');
    e.clearRequests();
  }
  // Erin's invitation is six days old, the new hire's one.
  Object.assign(acme().invitations[0]!, { createdAt: githubTime(Date.now() - 6 * DAY) });
  dir = mkdtempSync(join(tmpdir(), 'orch-review-'));
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({
      connectors: {
        github: { type: 'github', ...gh.configBlock(), base_url: gh.url },
        slack: { type: 'slack', ...slack.configBlock() },
        trello: { type: 'trello', ...trello.configBlock() },
        drive: { type: 'gdrive', ...drive.configBlock(), base_url: drive.url },
      },
    }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(dir, 'team.yaml'),
    [
      'people:',
      '  - { name: Alice, email: alice@acme.test, identities: { github: alice }, access: { github: admin } }',
      '  - { name: Bob, email: bob@example.com, identities: { github: bob }, access: [github] }',
      '  - { name: Ada, email: ada@example.com, access: [slack] }',
    ].join('\n'),
  );
});

describe('orchest review', () => {
  it('writes a snapshot, a CSV and one self-contained page whose numbers a real browser shows as the CSV has them', async () => {
    const result = await orchest(
      'review',
      '--out',
      'out',
      '--roster',
      'team.yaml',
      '--stale-days',
      '3',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Access review of 4 instances at \d{4}-\d{2}-\d{2}T/);
    expect(result.stdout).toContain('No earlier snapshot in the folder');
    const out = join(dir, 'out');
    const [snapshot] = filesIn(out, 'snapshot-', '.json');
    const [csvFile] = filesIn(out, 'access-review-', '.csv');
    const [htmlFile] = filesIn(out, 'access-review-', '.html');
    for (const file of [snapshot!, csvFile!, htmlFile!]) {
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }

    const rows = parseCsv(readFileSync(csvFile!, 'utf8'));
    const row = (instance: string, identifier: string) =>
      rows.find((r) => r.instance === instance && r.identifier === identifier);
    expect(row('github', 'alice')).toMatchObject({
      person: 'Alice',
      state: 'member',
      role: 'admin',
      in_roster: 'yes',
    });
    expect(row('github', 'erin')).toMatchObject({
      state: 'invited',
      invitation_age_days: '6',
      in_roster: 'no',
    });
    expect(row('github', 'new.hire@example.com')?.invitation_age_days).toBe('1');
    expect(row('slack', 'ada@example.com')).toMatchObject({ person: 'Ada', in_roster: 'yes' });
    expect(new Set(rows.map((r) => r.instance))).toEqual(
      new Set(['github', 'slack', 'trello', 'drive']),
    );
    // Each instance read once by pages, as plan does: never a call per person.
    expect(gh.requests.filter((r) => r.route === '/orgs/:org/memberships/:username')).toEqual([]);

    const html = readFileSync(htmlFile!, 'utf8');
    // Self-contained: nothing to fetch, and a policy that forbids fetching anyway.
    expect(html).not.toMatch(/https?:\/\/|<script|<link|<img|<iframe|\bsrc=|@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);

    const expected = countsFromCsv(rows, 3);
    expect(expected.staleInvitations).toBe(1);
    const chromium = findChromium();
    if (!chromium) {
      console.warn(
        'SKIPPED the browser half of this test: no chromium on PATH (apt-get install chromium); CI has it',
      );
      expect(countsOf(html)).toMatchObject({ ...expected, matrixRows: undefined });
      return;
    }
    const dom = await dumpDom(chromium, htmlFile!);
    const { matrixRows, ...numbers } = expected;
    const shown = countsOf(dom);
    expect(shown).toMatchObject(numbers);
    const perInstance = Object.entries(shown).filter(([k]) => k.startsWith('admins-'));
    expect(perInstance.map(([k]) => k).sort()).toEqual([
      'admins-drive',
      'admins-github',
      'admins-slack',
      'admins-trello',
    ]);
    expect(perInstance.reduce((n, [, v]) => n + v, 0)).toBe(numbers.admins);
    expect(dom.match(/<tr data-person=/g)).toHaveLength(matrixRows);
    const png = join(dir, 'review.png');
    await screenshot(chromium, htmlFile!, png);
    const image = readFileSync(png);
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    // IHDR: the width and height Chromium was asked for, and a page with something on it.
    expect(image.readUInt32BE(16)).toBe(1280);
    expect(image.readUInt32BE(20)).toBe(2000);
    expect(image.length).toBeGreaterThan(20_000);
  }, 240_000);

  it('the next review says who was added, removed or changed role since the last one', async () => {
    expect((await orchest('review', '--out', 'out')).code).toBe(0);
    delete acme().members.dave;
    acme().members.carol = 'admin';
    const again = await orchest('review', '--out', 'out', '--json');
    expect(again.code).toBe(0);
    const json = JSON.parse(again.stdout) as {
      previous: string;
      files: { html: string };
      review: {
        changes: {
          added: unknown[];
          removed: Array<{ identifier: string }>;
          roleChanged: Array<{ entry: { identifier: string }; fromRole: string; toRole: string }>;
        };
      };
    };
    expect(json.previous).toMatch(/snapshot-.*\.json$/);
    expect(json.review.changes.added).toEqual([]);
    expect(json.review.changes.removed.map((e) => e.identifier)).toEqual(['dave']);
    expect(
      json.review.changes.roleChanged.map((r) => [r.entry.identifier, r.fromRole, r.toRole]),
    ).toEqual([['carol', 'member', 'admin']]);
    expect(filesIn(join(dir, 'out'), 'snapshot-', '.json')).toHaveLength(2);
    const counts = countsOf(readFileSync(json.files.html, 'utf8'));
    expect(counts).toMatchObject({ added: 0, removed: 1, roleChanged: 1 });
    const human = await orchest('review', '--out', 'out');
    expect(human.stdout).toContain(': 0 added, 0 removed, 0 role changes, 0 state changes.');
  }, 120_000);

  it('reads each service with the calls plan makes for the same instances, and no more', async () => {
    writeFileSync(
      join(dir, 'all.yaml'),
      'people:\n  - { name: Ada, email: ada@example.com, access: [github, slack, trello, drive] }\n',
    );
    const emulators = { github: gh, slack, trello, drive };
    const calls = () =>
      Object.fromEntries(Object.entries(emulators).map(([k, e]) => [k, e.requests.length]));
    expect((await orchest('plan', 'all.yaml')).code).toBe(0);
    const byPlan = calls();
    for (const e of Object.values(emulators)) e.clearRequests();
    expect((await orchest('review', '--roster', 'all.yaml', '--out', 'out')).code).toBe(0);
    expect(calls()).toEqual(byPlan);
    expect(Object.values(byPlan).every((n) => n > 0)).toBe(true);
  }, 120_000);

  it('exits 3 naming the instance that cannot be read, and writes nothing', async () => {
    const config = JSON.parse(readFileSync(join(dir, '.orchester.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(
      join(dir, '.orchester.json'),
      JSON.stringify({ ...config, roster: { snapshot_deadline_ms: 1_000 } }),
      { mode: 0o600 },
    );
    gh.setFaults({ errorRate: 1 });
    try {
      const result = await orchest('review', '--out', 'out');
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('could not read github');
      expect(existsSync(join(dir, 'out'))).toBe(false);
    } finally {
      gh.setFaults({});
    }
  }, 120_000);

  it('refuses a bad --stale-days or a broken earlier snapshot with exit 2, before reading any service', async () => {
    const bad = await orchest('review', '--stale-days', 'two weeks');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--stale-days "two weeks" is not a number of days');
    expect(existsSync(join(dir, 'access-review'))).toBe(false);

    mkdirSync(join(dir, 'out'));
    const broken = join(dir, 'out', 'snapshot-2026-01-01T00-00-00.000Z.json');
    writeFileSync(broken, '{"version": 1');
    const result = await orchest('review', '--out', 'out');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${broken}: the previous review snapshot is not JSON`);
    expect(readdirSync(join(dir, 'out'))).toEqual(['snapshot-2026-01-01T00-00-00.000Z.json']);
    expect(gh.requests).toEqual([]);
  });
});
