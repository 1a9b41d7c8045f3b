// One behaviour for a person the service has no account for, on every connector that names
// people by a login (GitHub, Trello): `check` says not a member (exit 1), `add` fails as the
// service's refusal (exit 3, ORCH_NOT_FOUND), `rm` has nothing to remove (exit 0, not-member).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import githubEmulator from '@orchester/connector-github/sandbox';
import trelloEmulator from '@orchester/connector-trello/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

type Emulator = { url: string; configBlock(): Record<string, unknown>; close(): Promise<void> };
let github: Emulator;
let trello: Emulator;
let dir: string;

beforeAll(async () => {
  [github, trello] = await Promise.all([
    githubEmulator.start({ seed: 'demo' }),
    trelloEmulator.start({ seed: 'demo' }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'orch-unknown-'));
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({
      connectors: {
        github: { type: 'github', ...github.configBlock(), base_url: github.url },
        trello: { type: 'trello', ...trello.configBlock(), base_url: trello.url },
      },
    }),
    { mode: 0o600 },
  );
});
afterAll(async () => {
  await Promise.all([github?.close(), trello?.close()]);
});

const orchest = (...args: string[]) => runCli(args, { cwd: dir });

describe('a person the service has no account for', () => {
  for (const instance of ['github', 'trello']) {
    it(`${instance}: check says not a member, add fails as not found, rm has nothing to do`, async () => {
      const check = await orchest('-c', instance, 'check', 'nosuchperson42', '--json');
      expect(check.code).toBe(1);
      expect(JSON.parse(check.stdout)).toMatchObject({ status: 'succeeded', state: 'absent' });

      const add = await orchest('-c', instance, 'add', 'nosuchperson42', '--json');
      expect(add.code).toBe(3);
      expect(JSON.parse(add.stdout)).toMatchObject({
        status: 'failed',
        error: { code: 'ORCH_NOT_FOUND' },
      });

      const rm = await orchest('-c', instance, 'rm', 'nosuchperson42', '--json');
      expect(rm.code).toBe(0);
      expect(JSON.parse(rm.stdout)).toMatchObject({ status: 'succeeded', outcome: 'not-member' });
    });
  }
});
