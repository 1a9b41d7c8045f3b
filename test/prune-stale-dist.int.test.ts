import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '..', 'scripts', 'prune-stale-dist.mjs');

it('removes the build outputs of a source that moved, and keeps the rest', () => {
  const root = mkdtempSync(join(tmpdir(), 'orch-prune-'));
  const pkg = join(root, 'packages', 'connector-x');
  mkdirSync(join(pkg, 'src', 'setup'), { recursive: true });
  mkdirSync(join(pkg, 'dist', 'setup'), { recursive: true });
  writeFileSync(join(pkg, 'src', 'index.ts'), '');
  writeFileSync(join(pkg, 'src', 'setup', 'index.ts'), '');
  const outputs = (base: string) =>
    ['.js', '.js.map', '.d.ts', '.d.ts.map'].map((ext) => join(pkg, 'dist', base + ext));
  // setup.ts became setup/index.ts: dist/setup.* is what the old build left.
  for (const file of [...outputs('index'), ...outputs('setup/index'), ...outputs('setup')])
    writeFileSync(file, '');
  writeFileSync(join(pkg, 'dist', 'notes.txt'), 'not a build output');
  execFileSync(process.execPath, [script, '--root', root], { stdio: 'pipe' });
  expect(outputs('setup').filter(existsSync)).toEqual([]);
  expect([...outputs('index'), ...outputs('setup/index')].every(existsSync)).toBe(true);
  expect(existsSync(join(pkg, 'dist', 'notes.txt'))).toBe(true);
});
