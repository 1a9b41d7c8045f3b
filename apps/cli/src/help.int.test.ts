// Help never runs a command: `COMMAND --help`, `-h` anywhere and `orchest help COMMAND` print
// that command's usage, flags and an example, exit 0, and read no config and no service.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import githubEmulator from '@orchester/connector-github/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';
import { COMMAND_SPECS } from './specs/index.js';

type Running = Awaited<ReturnType<typeof githubEmulator.start>>;

let gh: Running;
let dir: string;

beforeAll(async () => {
  gh = await githubEmulator.start({ seed: 'demo' });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(() => {
  gh.reset('demo');
  dir = mkdtempSync(join(tmpdir(), 'orch-help-'));
});

function writeGitHubConfig(): string {
  const path = join(dir, '.orchester.json');
  writeFileSync(
    path,
    JSON.stringify({
      connectors: { github: { type: 'github', ...gh.configBlock(), base_url: gh.url } },
    }),
    { mode: 0o600 },
  );
  return path;
}

/** A config that cannot be loaded, where every command looks first. */
function writeBrokenConfig(): Record<string, string> {
  writeFileSync(join(dir, '.orchester.json'), '{ "connectors": ');
  writeFileSync(join(dir, 'broken.yaml'), 'connectors: [\n');
  return { ORCHESTER_CONFIG_PATH: join(dir, 'broken.yaml') };
}

/** Every command and subcommand as typed, with its spec. */
const PATHS = COMMAND_SPECS.flatMap((spec) =>
  (spec.subcommands ?? [spec]).map((s) => {
    const path = s === spec ? [spec.name] : [spec.name, s.name];
    return { name: path.join(' '), path, spec: s };
  }),
);

describe('--help never runs the command', () => {
  it("rm hubot --help prints rm's help, exit 0, and sends nothing: the invitation stays", async () => {
    const config = writeGitHubConfig();
    const env = { ORCHESTER_CONFIG_PATH: config };
    expect((await runCli(['-c', 'github', 'add', 'hubot'], { cwd: dir, env })).code).toBe(0);
    const invited = () => gh.state.orgs.acme!.invitations.map((i) => i.login);
    expect(invited()).toContain('hubot');
    gh.clearRequests();

    const result = await runCli(['-c', 'github', 'rm', 'hubot', '--help'], { cwd: dir, env });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('orchest [-c NAME] rm IDENTIFIER');
    expect(result.stdout).toContain('--removeFromBoards');
    expect(gh.requests).toEqual([]);
    expect(invited()).toContain('hubot');
  });

  it('sandbox --help returns at once instead of starting the emulators', async () => {
    const result = await runCli(['sandbox', '--help'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('orchest sandbox [--seed demo|empty]');
    expect(result.stdout).not.toContain('emulator at http');
  });

  it('audit --help prints no audit record', async () => {
    const record = {
      at: '2026-11-28T10:00:00.000Z',
      actor: 'ops',
      instance: 'github',
      action: 'add',
      identifier: 'someone-audited',
      outcome: 'invited',
      batchId: 'b1',
    };
    writeFileSync(join(dir, 'audit.jsonl'), `${JSON.stringify(record)}\n`);
    writeFileSync(join(dir, '.orchester.json'), JSON.stringify({ audit: { path: 'audit.jsonl' } }));
    expect((await runCli(['audit'], { cwd: dir })).stdout).toContain('someone-audited');
    const result = await runCli(['audit', '--help'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('orchest audit [--since DATE]');
    expect(result.stdout).not.toContain('someone-audited');
  });

  it.each(PATHS)(
    '$name: --help, -h anywhere and help COMMAND print usage and every flag, without reading the broken config',
    async ({ path, spec }) => {
      const env = writeBrokenConfig();
      const lines = [
        [...path, '--help'],
        ['-h', ...path],
        [...path, 'some-argument', '-h'],
        ['help', ...path],
      ];
      const outputs = new Set<string>();
      for (const line of lines) {
        const result = await runCli(line, { cwd: dir, env });
        expect({ line, code: result.code, stderr: result.stderr }).toEqual({
          line,
          code: 0,
          stderr: '',
        });
        for (const usage of spec.usage) expect(result.stdout).toContain(`orchest ${usage}`);
        for (const flag of [...Object.keys(spec.flags), 'config', 'help'])
          expect(result.stdout).toContain(`--${flag}`);
        expect(result.stdout).toMatch(/^Examples?:$/m);
        outputs.add(result.stdout);
      }
      expect(outputs.size).toBe(1);
    },
  );

  it('help for a group lists every subcommand; help for nothing is the overview; an unknown command is exit 2', async () => {
    const batch = await runCli(['help', 'batch'], { cwd: dir });
    expect(batch.code).toBe(0);
    for (const sub of ['apply FILE', 'status ID', 'report ID'])
      expect(batch.stdout).toContain(`orchest batch ${sub}`);
    const overview = await runCli(['help'], { cwd: dir });
    expect(overview.code).toBe(0);
    expect(await runCli(['help', 'help'], { cwd: dir })).toEqual(overview);
    const add = await runCli(['--config', 'x.json', '-c', 'gh', 'help', 'add'], { cwd: dir });
    expect(add).toMatchObject({ code: 0, stderr: '' });
    expect(add.stdout).toContain('orchest [-c NAME] add IDENTIFIER');
    for (const { name, spec } of PATHS)
      expect(overview.stdout).toMatch(
        new RegExp(`^ {2}${name}\\b.* ${spec.summary.replace(/[()?]/g, '\\$&')}$`, 'm'),
      );
    expect(await runCli(['help', 'nosuch'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "nosuch"'),
    });
  });

  it('--help after -- is an argument, not a request for help', async () => {
    const result = await runCli(['check', '--', '--help'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('what help imports', () => {
  async function loadedBy(args: string[]): Promise<string[]> {
    const log = join(dir, 'imports.log');
    writeFileSync(log, '');
    const fixture = join(import.meta.dirname, '..', 'test', 'fixtures', 'log-imports.mjs');
    const result = await runCli(args, {
      cwd: dir,
      env: { ORCHESTER_IMPORT_LOG: log },
      nodeArgs: ['--import', fixture],
    });
    expect(result.code).toBe(0);
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  }

  it('a command without connector options imports nothing outside the CLI', async () => {
    for (const args of [
      ['audit', '--help'],
      ['help', 'batch', 'apply'],
      ['completion', '-h'],
    ]) {
      const loaded = await loadedBy(args);
      expect(loaded.filter((u) => u.includes('node_modules') || u.includes('/packages/'))).toEqual(
        [],
      );
    }
  });

  it("add --help reads the connectors' ./options entries only: no runtime, connector module or SDK", async () => {
    const loaded = await loadedBy(['add', '--help']);
    expect(loaded.some((u) => u.includes('/connector-github/dist/options.js'))).toBe(true);
    expect(
      loaded.filter(
        (u) =>
          u.includes('/runtime/dist/index.js') ||
          /\/connector-[a-z]+\/dist\/(index|connector|instance)\.js/.test(u) ||
          /@octokit|@slack|googleapis|google-auth-library|bullmq|ioredis|\/yaml\//.test(u),
      ),
    ).toEqual([]);
  });
});
