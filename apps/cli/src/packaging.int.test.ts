import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const PACKAGES = [
  'packages/core',
  'packages/runtime',
  'packages/queue',
  'packages/sandbox',
  'apps/cli',
  'packages/connector-github',
];

let project: string;
let bin: string;

// Packs the packages as they would be published and installs the tarballs with npm into an
// empty folder: the published `exports`, `files`, bins and peer dependencies must work there.
beforeAll(() => {
  const tarballs = mkdtempSync(join(tmpdir(), 'orch-pack-'));
  for (const dir of PACKAGES) {
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: join(root, dir),
      stdio: 'pipe',
    });
  }
  project = mkdtempSync(join(tmpdir(), 'orch-install-'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'someone-elses-project', private: true }),
  );
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...files],
    {
      cwd: project,
      stdio: 'pipe',
    },
  );
  bin = join(project, 'node_modules', '@orchester', 'cli', 'dist', 'bin.js');
}, 240_000);

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
});
