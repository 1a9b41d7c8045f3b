// `orchester-worker --help` and `--version` answer without reading config or reaching Redis.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

async function worker(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'orch-worker-bin-'));
  // A config that cannot be read, and a Redis that is not there: help must need neither.
  writeFileSync(join(dir, 'broken.json'), '{ "connectors": ');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        ORCHESTER_CONFIG_PATH: join(dir, 'broken.json'),
        REDIS_URL: 'redis://127.0.0.1:1',
      },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('orchester-worker', () => {
  it('--help and -h print the usage and flags, exit 0', async () => {
    for (const args of [['--help'], ['-h'], ['--config', 'x.json', '-h'], ['--bogus', '--help']]) {
      const result = await worker(args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 0,
        stderr: '',
      });
      expect(result.stdout).toContain('Usage: orchester-worker [--config PATH]');
      expect(result.stdout).toContain('-V, --version');
    }
  });

  it('--version and -V print the package version, exit 0', async () => {
    expect(await worker(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(await worker(['-V'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('an unknown flag alone is exit 2', async () => {
    const result = await worker(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--bogus'");
  });
});
