// `orchest completion bash|zsh|fish`, loaded into each shell the way its user would, completes
// commands, flags (connector options too) and, from config, instance names.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli } from '../test/run-cli.js';

const run = promisify(execFile);

function has(shell: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'orch-completion-'));
  // `orchest` on PATH, as an install puts it: the scripts call it for instance names.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'orchest'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`);
  chmodSync(join(bin, 'orchest'), 0o755);
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({
      connectors: {
        'github-corp': { type: 'github', org: 'acme', token: 'x' },
        'github-oss': { type: 'github', org: 'oss', token: 'x' },
        'trello-ops': { type: 'trello', organization: 'ops', api_key: 'k', token: 't' },
      },
    }),
    { mode: 0o600 },
  );
  env = { PATH: `${bin}:${process.env.PATH}`, HOME: dir };
  for (const shell of ['bash', 'zsh', 'fish']) {
    const script = await runCli(['completion', shell], { cwd: dir });
    expect(script).toMatchObject({ code: 0, stderr: '' });
    writeFileSync(join(dir, `orchest.${shell}`), script.stdout);
  }
});

async function shell(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { cwd: dir, env });
  return stdout;
}

describe('orchest completion instances', () => {
  it('prints the configured instance names, one a line', async () => {
    const result = await runCli(['completion', 'instances'], { cwd: dir });
    expect(result).toEqual({
      code: 0,
      stdout: 'github-corp\ngithub-oss\ntrello-ops\n',
      stderr: '',
    });
  });

  it('an unknown shell is exit 2', async () => {
    expect(await runCli(['completion', 'tcsh'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('"tcsh" is not bash, zsh or fish'),
    });
  });
});

describe('bash', () => {
  /** What the script offers for a command line whose last word is being completed. */
  async function complete(...words: string[]): Promise<string[]> {
    const script = `source ./orchest.bash
      COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
      $(complete -p orchest | sed -E 's/.* -F ([^ ]+) .*/\\1/')
      printf '%s\\n' "\${COMPREPLY[@]}"`;
    return (await shell('bash', ['-c', script])).split('\n').filter(Boolean);
  }

  it('completes a command, an instance name, a connector option and a subcommand', async () => {
    expect(await complete('orchest', 'ad')).toEqual(['add']);
    expect(await complete('orchest', '-c', 'github-')).toEqual(['github-corp', 'github-oss']);
    expect(await complete('orchest', '-c', 'github-corp', 'add', 'ada', '--te')).toEqual([
      '--teams',
    ]);
    expect(await complete('orchest', 'rm', 'ada', '--remove')).toEqual(['--removeFromBoards']);
    expect(await complete('orchest', 'batch', '')).toEqual(['apply', 'status', 'report', 'cancel']);
    expect(await complete('orchest', 'batch', 'report', 'ID', '--format', '')).toEqual([
      'csv',
      'json',
    ]);
  });
});

describe.skipIf(!has('zsh'))('zsh', () => {
  /** The candidates `_orchest` hands to compadd (zsh filters them by what is typed). */
  async function candidates(...words: string[]): Promise<string[]> {
    const script = `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }
      _files() { print -r -- '<files>'; }
      source ./orchest.zsh
      words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=\${#words}
      _orchest`;
    return (await shell('zsh', ['-f', '-c', script])).split('\n').filter(Boolean);
  }

  it('offers commands, instance names, connector options and files', async () => {
    expect(await candidates('orchest', 'ad')).toContain('add');
    expect(await candidates('orchest', '-c', '')).toEqual([
      'github-corp',
      'github-oss',
      'trello-ops',
    ]);
    expect(await candidates('orchest', 'add', 'ada', '--te')).toContain('--teams');
    expect(await candidates('orchest', 'batch', 'apply', '')).toEqual(['<files>']);
  });
});

describe.skipIf(!has('fish'))('fish', () => {
  async function complete(line: string): Promise<string[]> {
    const out = await shell('fish', [
      '-c',
      `source ./orchest.fish; complete -C ${JSON.stringify(line)}`,
    ]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]!);
  }

  it('completes a command, an instance name and a connector option', async () => {
    expect(await complete('orchest ad')).toEqual(['add']);
    expect(await complete('orchest -c github-')).toEqual(['github-corp', 'github-oss']);
    expect(await complete('orchest add ada --te')).toEqual(['--teams']);
    expect(await complete('orchest batch ')).toEqual(['apply', 'cancel', 'report', 'status']);
  });
});
