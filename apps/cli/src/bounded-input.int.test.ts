import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

let dir: string;
// An instance no request may reach: nothing listens on the discard port, and none is sent.
const config = {
  connectors: {
    'github-corp': {
      type: 'github',
      org: 'acme',
      token: 'ghp_bounded1234',
      base_url: 'http://127.0.0.1:9',
    },
  },
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orch-bounded-'));
  writeFileSync(join(dir, '.orchester.json'), JSON.stringify(config), { mode: 0o600 });
});

const run = (args: string[]) => runCli(args, { cwd: dir });

describe('every input is bounded', () => {
  it('a device or a binary file is refused at once, exit 2, not read whole', async () => {
    const zero = await run(['plan', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('roster /dev/zero is not a text file');
    const random = await run(['batch', 'apply', '/dev/urandom', '--inline']);
    expect(random.code).toBe(2);
    expect(random.stderr).toContain('batch file /dev/urandom is not a text file');
  });

  it('a file over its size limit is refused before it is read whole', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"connectors": {}, "actor": "${'a'.repeat(2 * 1024 * 1024)}"}`);
    const result = await runCli(['--config', big, 'connectors'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`config file ${big} is larger than 1 MiB`);
  });

  it("never prints a file's contents back", async () => {
    const shadow = join(dir, 'shadow');
    writeFileSync(
      shadow,
      'root:$6$Zq8sWm$hiddenhash0123:19000:0:99999:7:::\ndaemon: "*:19000:0:99999:7:::"\n',
    );
    const result = await run(['plan', shadow]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not look like a roster');
    expect(result.stderr).not.toContain('hiddenhash');
    expect(result.stderr).not.toContain('99999');
  });

  it('20,000 bad rows: the first problems and a count, nothing enqueued or sent', async () => {
    const rows = ['instance,action,identifier'];
    for (let i = 0; i < 20_000; i++) rows.push(`github-corp,promote,user${i}`);
    writeFileSync(join(dir, 'bad.csv'), `${rows.join('\n')}\n`);
    const result = await run(['batch', 'apply', 'bad.csv', '--inline']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the batch has 20000 problems; nothing was enqueued');
    expect(result.stderr).toContain('… and 19980 more (fix these and run again)');
    expect(result.stderr.length).toBeLessThan(5_000);
  });

  it('a CSV header naming a column twice, or a file separated by ";", is refused', async () => {
    writeFileSync(
      join(dir, 'twice.csv'),
      'instance,action,identifier,identifier\ngithub-corp,add,ada,bob\n',
    );
    const twice = await run(['batch', 'apply', 'twice.csv', '--inline']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('the header names the column "identifier" twice; keep one');
    for (const name of ['semi.csv', 'semi.txt']) {
      writeFileSync(join(dir, name), 'instance;action;identifier\ngithub-corp;add;ada\n');
      const semi = await run(['batch', 'apply', name, '--inline']);
      expect(semi.code).toBe(2);
      expect(semi.stderr).toContain('is separated by ";"; orchester reads comma-separated CSV');
    }
  });

  it('an identifier is capped before validation, and quoted escaped and short', async () => {
    const long = await run(['check', 'a'.repeat(100_000)]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(
      /"a{40}…" \(100000 characters\) is too long for .*at most 320 characters/,
    );
    expect(long.stderr.length).toBeLessThan(400);
    const escaped = await run(['check', 'evil\u001b[31m\r\nname']);
    expect(escaped.code).toBe(2);
    expect(escaped.stderr).toContain('"evil\\x1b[31m\\r\\nname" is not');
    expect(escaped.stderr).not.toContain('\u001b');
  });
});

describe('config says exactly what is wrong', () => {
  it('-c and default_connector naming no instance say so, with the configured ones', async () => {
    const result = await run(['-c', 'b', 'check', 'ada']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no instance "b" is configured; configured: github-corp');
    expect(result.stderr).not.toContain('@orchester/connector-b');
    writeFileSync(
      join(dir, '.orchester.json'),
      JSON.stringify({ ...config, default_connector: 'zzz' }),
      { mode: 0o600 },
    );
    const fallback = await run(['check', 'ada']);
    expect(fallback.code).toBe(2);
    expect(fallback.stderr).toContain('no instance "zzz" is configured; configured: github-corp');
  });

  it('a batch row naming no instance says so', async () => {
    writeFileSync(join(dir, 'b.csv'), 'instance,action,identifier\nnosuch,add,ada\n');
    const result = await run(['batch', 'apply', 'b.csv', '--inline']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'row 2: instance: no instance "nosuch" is configured; configured: github-corp',
    );
  });

  it('an invalid retry block is refused by a single inline command too', async () => {
    writeFileSync(
      join(dir, '.orchester.json'),
      JSON.stringify({ ...config, retry: { attempts: 0 } }),
      { mode: 0o600 },
    );
    const result = await run(['check', 'ada']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/retry\.attempts: Too small: expected number to be >=1/);
  });
});
