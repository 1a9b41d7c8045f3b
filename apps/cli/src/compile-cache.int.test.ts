// The CLI keeps Node's module compile cache in a per-user folder where Node has one (>= 22.1),
// leaves it off when asked, and runs as before when the folder cannot be written.

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

const nodeHasIt =
  typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orch-compile-cache-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cacheOf = (base: string) => join(base, 'orchester', 'compile-cache');

describe('the module compile cache', () => {
  it(`is kept under XDG_CACHE_HOME/orchester where Node has it (this Node ${process.version}: ${nodeHasIt ? 'has' : 'has not'})`, async () => {
    const result = await runCli(['--help'], { cwd: dir, env: { XDG_CACHE_HOME: dir } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    if (nodeHasIt) expect(readdirSync(cacheOf(dir)).length).toBeGreaterThan(0);
    else expect(existsSync(cacheOf(dir))).toBe(false);
  });

  it('falls back to ~/.cache/orchester', async () => {
    const result = await runCli(['--help'], { cwd: dir, env: { HOME: dir } });
    expect(result.code).toBe(0);
    expect(existsSync(cacheOf(join(dir, '.cache')))).toBe(nodeHasIt);
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const result = await runCli(['--help'], {
      cwd: dir,
      env: { XDG_CACHE_HOME: dir, NODE_DISABLE_COMPILE_CACHE: '1' },
    });
    expect(result.code).toBe(0);
    expect(existsSync(cacheOf(dir))).toBe(false);
  });

  it("goes where Node's NODE_COMPILE_CACHE says, when it is set", async () => {
    const elsewhere = join(dir, 'elsewhere');
    const result = await runCli(['--help'], {
      cwd: dir,
      env: { XDG_CACHE_HOME: dir, NODE_COMPILE_CACHE: elsewhere },
    });
    expect(result.code).toBe(0);
    expect(existsSync(cacheOf(dir))).toBe(false);
    // Node >= 22.1 fills it itself; older Nodes know nothing of the variable.
    expect(existsSync(elsewhere)).toBe(nodeHasIt);
  });

  it('a folder that cannot be made changes nothing: same output, no warning', async () => {
    const blocked = join(dir, 'not-a-folder');
    writeFileSync(blocked, '');
    const normal = await runCli(['--help'], { cwd: dir, env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    const result = await runCli(['--help'], { cwd: dir, env: { XDG_CACHE_HOME: blocked } });
    expect(result).toEqual({ code: 0, stdout: normal.stdout, stderr: '' });
  });
});
