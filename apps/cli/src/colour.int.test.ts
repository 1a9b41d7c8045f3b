// Outcomes and plan lines are coloured on a terminal, and nowhere else: not through a pipe, not
// when NO_COLOR is set (https://no-color.org).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import githubEmulator from '@orchester/connector-github/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli } from '../test/run-cli.js';

const ESC = '\u001b[';
const GREEN = (text: string) => `${ESC}32m${text}${ESC}39m`;

let gh: Awaited<ReturnType<typeof githubEmulator.start>>;
let dir: string;
let config: string;

function hasScript(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  gh = await githubEmulator.start({ seed: 'demo' });
  dir = mkdtempSync(join(tmpdir(), 'orch-colour-'));
  config = join(dir, '.orchester.json');
  writeFileSync(
    config,
    JSON.stringify({
      connectors: { github: { type: 'github', ...gh.configBlock(), base_url: gh.url } },
    }),
    { mode: 0o600 },
  );
  // hubot is a GitHub user outside the organization: the plan adds them.
  writeFileSync(
    join(dir, 'team.yaml'),
    'people:\n  - name: Hubot\n    email: hubot@example.com\n    identities: { github: hubot }\n    access: { github: member }\n',
  );
});
afterAll(async () => {
  await gh.close();
});

const orchest = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: { ORCHESTER_CONFIG_PATH: config, ...env } });

describe('colour', () => {
  it('through a pipe there is none, unless FORCE_COLOR asks for it', async () => {
    const piped = await orchest(['check', 'bob']);
    expect(piped).toMatchObject({ code: 0, stdout: 'bob: is a member of github (role member)\n' });
    const forced = await orchest(['check', 'bob'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toBe(`bob: ${GREEN('is a member of')} github (role member)\n`);
    const plan = await orchest(['plan', 'team.yaml'], { FORCE_COLOR: '1' });
    expect(plan.stdout).toContain(`  ${GREEN('+ add                hubot (Hubot) as member')}\n`);
    expect((await orchest(['plan', 'team.yaml'])).stdout).not.toContain(ESC);
  });

  it('NO_COLOR turns it off, even with FORCE_COLOR', async () => {
    for (const args of [
      ['check', 'bob'],
      ['plan', 'team.yaml'],
    ]) {
      const result = await orchest(args, { NO_COLOR: '1', FORCE_COLOR: '1' });
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain(ESC);
    }
  });

  it.skipIf(!hasScript())(
    'on a terminal (a pseudo-terminal from script(1)) it is there; NO_COLOR takes it away',
    async () => {
      const onTerminal = async (env: Record<string, string>) => {
        const { stdout } = await promisify(execFile)(
          'script',
          ['-qec', `"${process.execPath}" "${CLI_BIN}" check bob`, '/dev/null'],
          {
            cwd: dir,
            env: { PATH: process.env.PATH, HOME: dir, ORCHESTER_CONFIG_PATH: config, ...env },
          },
        );
        return stdout;
      };
      expect(await onTerminal({})).toContain(`bob: ${GREEN('is a member of')} github`);
      const noColour = await onTerminal({ NO_COLOR: '1' });
      expect(noColour).toContain('bob: is a member of github');
      expect(noColour).not.toContain(ESC);
    },
  );
});
