import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isScannedName } from '@orchester/runtime/discovery';
import { describe, expect, it } from 'vitest';
import { releasedRanges } from './ranges.js';
import { packageNameOf, scaffold } from './scaffold.js';

const here = resolve(import.meta.dirname, '..');
const versionOf = (dir: string) =>
  (JSON.parse(readFileSync(join(here, '..', dir, 'package.json'), 'utf8')) as { version: string })
    .version;

describe('scaffold', () => {
  it('writes a package under a name discovery scans, with the published ranges and no workspace: range', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'orch-scaffold-'));
    const { dir, packageName, files } = scaffold({ id: 'gitlab', cwd, ranges: releasedRanges() });
    expect(dir).toBe(join(cwd, 'orchester-connector-gitlab'));
    expect(isScannedName(packageName)).toBe(true);
    expect(files).toEqual(
      expect.arrayContaining([
        '.gitignore',
        'README.md',
        'package.json',
        'src/connector.ts',
        'src/connector.test.ts',
        'src/options.ts',
        'src/sandbox/index.ts',
      ]),
    );
    const text = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(text).not.toContain('workspace:');
    const pkg = JSON.parse(text) as {
      orchester: { connector: string; contract: string };
      peerDependencies: Record<string, string>;
      dependencies: Record<string, string>;
    };
    const core = `^${versionOf('core')}`;
    expect(pkg.orchester).toEqual({ connector: 'gitlab', contract: core });
    expect(pkg.peerDependencies).toEqual({ '@orchester/core': core });
    expect(pkg.dependencies['@orchester/sandbox']).toBe(`^${versionOf('sandbox')}`);
    for (const file of files)
      expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/__[A-Z_]+__/);
    expect(readFileSync(join(dir, 'src/connector.ts'), 'utf8')).toContain("id: 'gitlab'");
  });

  it('names scoped packages as discovery scans them', () => {
    for (const scope of [undefined, '@acme', '@orchester'])
      expect(isScannedName(packageNameOf('gitlab', scope))).toBe(true);
  });

  it('refuses a bad name or a folder in use, naming the fix, and writes nothing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'orch-scaffold-'));
    const ranges = releasedRanges();
    expect(() => scaffold({ id: 'Git Lab', cwd, ranges })).toThrow(
      /NAME "Git Lab" is not a connector id/,
    );
    expect(() => scaffold({ id: 'gitlab', scope: 'acme', cwd, ranges })).toThrow(/--scope "acme"/);
    expect(readdirSync(cwd)).toEqual([]);
    mkdirSync(join(cwd, 'used'));
    writeFileSync(join(cwd, 'used', 'keep.txt'), 'mine');
    expect(() => scaffold({ id: 'gitlab', dir: 'used', cwd, ranges })).toThrow(
      /used exists and is not empty/,
    );
    expect(readdirSync(join(cwd, 'used'))).toEqual(['keep.txt']);
  });

  it('writes a connector of at most 250 lines, tests and emulator aside', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'orch-scaffold-'));
    const { dir, files } = scaffold({ id: 'gitlab', cwd, ranges: releasedRanges() });
    const code = files.filter(
      (f) =>
        f.startsWith('src/') &&
        f.endsWith('.ts') &&
        !f.includes('.test.') &&
        !f.startsWith('src/sandbox/'),
    );
    expect(code).toEqual([
      'src/config.ts',
      'src/connector.ts',
      'src/errors.ts',
      'src/index.ts',
      'src/options.ts',
    ]);
    const lines = code.reduce(
      (n, f) => n + readFileSync(join(dir, f), 'utf8').trimEnd().split('\n').length,
      0,
    );
    expect(lines).toBeLessThanOrEqual(250);
  });
});
