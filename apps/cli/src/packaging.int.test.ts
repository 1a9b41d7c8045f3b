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
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { npm, type PackedPackage, packAll, ROOT } from '../test/packed.js';
import { runCli } from '../test/run-cli.js';

let packed: Map<string, PackedPackage>;
let project: string;
let bin: string;

const tarball = (name: string) => {
  const p = packed.get(name);
  if (!p) throw new Error(`${name} was not packed`);
  return p.tarball;
};

// Packs the packages as they would be published and installs the tarballs with npm into an
// empty folder: the published `exports`, `files`, bins and peer dependencies must work there.
beforeAll(async () => {
  packed = await packAll();
  project = mkdtempSync(join(tmpdir(), 'orch-install-'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'someone-elses-project', private: true }),
  );
  await npm(project, [
    'install',
    ...[
      '@orchester/core',
      '@orchester/runtime',
      '@orchester/queue',
      '@orchester/sandbox',
      '@orchester/cli',
      '@orchester/connector-github',
    ].map(tarball),
  ]);
  bin = join(project, 'node_modules', '@orchester', 'cli', 'dist', 'bin.js');
}, 240_000);

/** The version of the packed core: the contract a scaffolded connector asks for. */
const coreVersion = () =>
  (
    JSON.parse(
      readFileSync(join(packed.get('@orchester/core')?.unpacked ?? '', 'package.json'), 'utf8'),
    ) as { version: string }
  ).version;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('every published package', () => {
  const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    license: string;
    repository: { url: string };
  };
  const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

  it('ships a README, the LICENSE, and says its license and where its source is', () => {
    expect(rootPkg.license).toBe('MIT');
    expect([...packed.values()].map((p) => p.name)).toEqual(
      expect.arrayContaining(['@orchester/core', '@orchester/create-connector', '@orchester/cli']),
    );
    for (const p of packed.values()) {
      const pkg = JSON.parse(readFileSync(join(p.unpacked, 'package.json'), 'utf8')) as {
        license?: string;
        repository?: { url?: string; directory?: string };
      };
      expect({ name: p.name, license: pkg.license, repository: pkg.repository }).toEqual({
        name: p.name,
        license: rootPkg.license,
        repository: { type: 'git', url: rootPkg.repository.url, directory: p.dir },
      });
      expect(readFileSync(join(p.unpacked, 'LICENSE'), 'utf8'), p.name).toBe(rootLicense);
      expect(readFileSync(join(p.unpacked, 'README.md'), 'utf8').length, p.name).toBeGreaterThan(
        200,
      );
    }
  });

  it('depends on other orchester packages by published ranges, never workspace:', () => {
    for (const p of packed.values()) {
      expect(readFileSync(join(p.unpacked, 'package.json'), 'utf8'), p.name).not.toContain(
        'workspace:',
      );
    }
  });

  it('ships the sources its declaration and source maps point at, and no tests', () => {
    for (const p of packed.values()) {
      const files = filesUnder(p.unpacked);
      const maps = files.filter((f) => f.endsWith('.map'));
      expect(maps.length, p.name).toBeGreaterThan(0);
      for (const map of maps) {
        const { sources, sourceRoot = '' } = JSON.parse(readFileSync(map, 'utf8')) as {
          sources: string[];
          sourceRoot?: string;
        };
        for (const source of sources) {
          const path = resolve(dirname(map), sourceRoot, source);
          expect(existsSync(path), `${relative(p.unpacked, map)} -> ${source} in ${p.name}`).toBe(
            true,
          );
        }
      }
      // The scaffolder's template holds the test a new connector starts with; nothing else ships tests.
      const tests = files
        .map((f) => relative(p.unpacked, f))
        .filter((f) => /\.test(-d)?\./.test(f) && !f.startsWith('template/'));
      expect(tests, p.name).toEqual([]);
    }
  });
});

describe('the published packages, installed with npm', () => {
  it('list only the connectors that were installed', async () => {
    const result = await runCli(['connectors', '--json'], { cwd: project, bin });
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as {
      installed: Array<{ type: string; package: string }>;
    };
    expect(out.installed.map((i) => [i.type, i.package])).toEqual([
      ['github', '@orchester/connector-github'],
    ]);
  });

  it('name the package to install for a connector that is not there', async () => {
    const result = await runCli(['-c', 'slack', 'check', 'a@b.co'], { cwd: project, bin });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('npm i @orchester/connector-slack');
  });

  it('run the sandbox and check a person with plain node', async () => {
    const { default: github } = (await import(
      join(project, 'node_modules', '@orchester', 'connector-github', 'dist', 'sandbox', 'index.js')
    )) as {
      default: {
        start(): Promise<{
          url: string;
          configBlock(): Record<string, unknown>;
          close(): Promise<void>;
        }>;
      };
    };
    const emulator = await github.start();
    try {
      writeFileSync(
        join(project, '.orchester.json'),
        JSON.stringify({
          connectors: {
            github: { type: 'github', ...emulator.configBlock(), base_url: emulator.url },
          },
        }),
        { mode: 0o600 },
      );
      const result = await runCli(['check', 'bob', '--json'], { cwd: project, bin });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        instance: 'github',
        identifier: 'bob',
        state: 'member',
      });
    } finally {
      await emulator.close();
    }
  });

  it('warn about a package that carries the connector marker under a name discovery does not scan', async () => {
    const misnamed = join(project, 'node_modules', 'jira-for-orchester');
    mkdirSync(misnamed);
    writeFileSync(
      join(misnamed, 'package.json'),
      JSON.stringify({
        name: 'jira-for-orchester',
        version: '1.0.0',
        orchester: { connector: 'jira', contract: '^1.2.0' },
      }),
    );
    const result = await runCli(['connectors', '--json'], { cwd: project, bin });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      installed: [{ type: 'github' }],
      unscanned: [{ type: 'jira', package: 'jira-for-orchester' }],
    });
    expect(result.stderr).toContain(
      'jira-for-orchester (' +
        misnamed +
        ') carries the connector marker ("orchester": {"connector": "jira"}) but is not found under that name: discovery scans only @orchester/connector-*, orchester-connector-*, @SCOPE/orchester-connector-*. Rename the package, or list it in config "plugins": ["jira-for-orchester"]',
    );
  });
});

describe('a connector scaffolded outside the workspace', () => {
  let work: string;
  let connectorDir: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'orch-author-'));
    // What `npx @orchester/create-connector gitlab` does, from the packed tarball.
    await npm(work, [
      'exec',
      '--yes',
      `--package=${tarball('@orchester/create-connector')}`,
      '--',
      'create-connector',
      'gitlab',
      '--display-name',
      'GitLab',
    ]);
    connectorDir = join(work, 'orchester-connector-gitlab');
    // Its own dependencies: orchester's from the tarballs only, the rest from npm.
    await npm(connectorDir, [
      'install',
      '--no-save',
      tarball('@orchester/core'),
      tarball('@orchester/sandbox'),
    ]);
  }, 240_000);

  it('passes its own conformance test against its emulator, type-checked', async () => {
    const out = await npm(connectorDir, ['test']);
    expect(out).toMatch(/Tests\s+\d+ passed/);
    expect(out).not.toMatch(/failed/);
  }, 120_000);

  it('is found by orchest once installed beside it, and checks, adds and removes people on its emulator', async () => {
    await npm(connectorDir, ['pack', '--pack-destination', work]);
    await npm(project, ['install', join(work, 'orchester-connector-gitlab-0.1.0.tgz')]);

    const listed = await runCli(['connectors', '--json'], { cwd: project, bin });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      installed: [
        { type: 'github', package: '@orchester/connector-github' },
        { type: 'gitlab', package: 'orchester-connector-gitlab', contract: `^${coreVersion()}` },
      ],
    });

    const { default: emulator } = (await import(
      join(project, 'node_modules', 'orchester-connector-gitlab', 'dist', 'sandbox', 'index.js')
    )) as {
      default: {
        start(): Promise<{
          configBlock(): Record<string, unknown>;
          state: { groups: Array<{ members: Array<{ userId: number; accessLevel: number }> }> };
          close(): Promise<void>;
        }>;
      };
    };
    const running = await emulator.start();
    try {
      writeFileSync(
        join(project, '.orchester.json'),
        JSON.stringify({ connectors: { gitlab: { type: 'gitlab', ...running.configBlock() } } }),
        { mode: 0o600 },
      );
      const cli = async (...args: string[]) => {
        const result = await runCli([...args, '--json'], { cwd: project, bin });
        return {
          code: result.code,
          out: JSON.parse(result.stdout || 'null') as unknown,
          err: result.stderr,
        };
      };
      expect(await cli('connectors')).toMatchObject({
        out: { instances: [{ name: 'gitlab', type: 'gitlab', usable: true }] },
      });
      expect(await cli('check', 'bob')).toMatchObject({
        code: 0,
        out: { state: 'member', role: 'developer' },
      });
      expect(await cli('check', 'dave')).toMatchObject({ code: 1, out: { state: 'absent' } });
      expect(await cli('add', 'dave')).toMatchObject({
        code: 0,
        out: { outcome: 'added', role: 'developer' },
      });
      // A bare add leaves carol the maintainer she is.
      expect(await cli('add', 'carol')).toMatchObject({
        code: 0,
        out: { outcome: 'already-member', role: 'maintainer' },
      });
      expect(await cli('rm', 'bob')).toMatchObject({ code: 0, out: { outcome: 'removed' } });
      expect(running.state.groups[0]?.members).toEqual([
        { userId: 1, accessLevel: 50 },
        { userId: 3, accessLevel: 40 },
        { userId: 4, accessLevel: 30 },
      ]);
    } finally {
      await running.close();
    }
  }, 120_000);
});
