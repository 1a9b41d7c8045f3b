import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const here = resolve(import.meta.dirname, '..');

describe('create-connector', () => {
  const bin = join(here, 'dist', 'bin.js');

  it('exits 2 with the usage for a bad NAME, and writes nothing', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'orch-scaffold-'));
    const result = spawnSync(process.execPath, [bin, 'Not_A_Name'], { cwd, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('create-connector: NAME "Not_A_Name" is not a connector id');
    expect(readdirSync(cwd)).toEqual([]);
    expect(spawnSync(process.execPath, [bin], { cwd, encoding: 'utf8' }).status).toBe(2);
  });

  it('writes the package and says what to do next', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'orch-scaffold-'));
    const out = execFileSync(process.execPath, [bin, 'gitlab', '--scope', '@acme'], {
      cwd,
      encoding: 'utf8',
    });
    expect(out).toContain('Wrote @acme/orchester-connector-gitlab in orchester-connector-gitlab.');
    expect(out).toContain('npm i -g ./acme-orchester-connector-gitlab-0.1.0.tgz');
    expect(existsSync(join(cwd, 'orchester-connector-gitlab', 'src', 'connector.ts'))).toBe(true);
  });
});
