import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orch-cli-'));
});

describe('orchest with bad input: one clear line, exit 2', () => {
  it('an unknown flag names the flag', async () => {
    const result = await runCli(['check', 'alice', '--colour'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--colour'");
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown command names it', async () => {
    const result = await runCli(['chekc', 'alice'], { cwd: dir });
    expect(result).toMatchObject({ code: 2 });
    expect(result.stderr).toContain('unknown command "chekc"');
  });

  it('a missing identifier says what the command takes', async () => {
    const result = await runCli(['add'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing IDENTIFIER; usage: orchest add IDENTIFIER');
  });

  it('malformed JSON and YAML config names the file, line and fix', async () => {
    writeFileSync(join(dir, 'bad.json'), '{\n  "default_connector": "github",\n}\n');
    const json = await runCli(['--config', 'bad.json', 'check', 'alice'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(
      /bad\.json is not valid JSON at line 3, column 1: .*fix the syntax/,
    );
    writeFileSync(join(dir, '.orchester.yaml'), 'connectors:\n  gh: {type: github\n');
    const yaml = await runCli(['check', 'alice'], { cwd: dir });
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/\.orchester\.yaml is not valid YAML at line \d+/);
  });

  it('an unreadable or missing config file named by --config or ORCHESTER_CONFIG_PATH', async () => {
    const missing = await runCli(['check', 'alice'], {
      cwd: dir,
      env: { ORCHESTER_CONFIG_PATH: join(dir, 'none.json') },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(dir, 'none.json')} does not exist`);
  });

  it('an instance that is not configured is named, without install advice for a made-up type', async () => {
    const result = await runCli(['-c', 'nosuch', 'check', 'a@b.co'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no instance "nosuch" is configured');
    expect(result.stderr).not.toContain('npm i');
  });

  it('with --json, the error is also a JSON object on stdout', async () => {
    const result = await runCli(['-c', 'nosuch', 'check', 'a@b.co', '--json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      error: { code: 'ORCH_CONFIG' },
    });
  });
});

describe('orchest --help', () => {
  it('lists the commands and the exit codes, and imports no connector, SDK or schema library', async () => {
    const log = join(dir, 'imports.log');
    writeFileSync(log, '');
    const fixture = join(import.meta.dirname, '..', 'test', 'fixtures', 'log-imports.mjs');
    const result = await runCli(['--help'], {
      cwd: dir,
      env: { ORCHESTER_IMPORT_LOG: log },
      nodeArgs: ['--import', fixture],
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('orchest [-c NAME] check IDENTIFIER');
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*2 {2}usage, config or input error/);
    const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(loaded.some((url) => url.includes('/apps/cli/dist/main.js'))).toBe(true);
    expect(
      loaded.filter((url) => url.includes('node_modules') || url.includes('/packages/')),
    ).toEqual([]);
  });
});
