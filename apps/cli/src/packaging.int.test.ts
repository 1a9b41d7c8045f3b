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
