import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import slackEmulator, { SANDBOX_CHANNELS } from '@orchester/connector-slack/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

let slack: Awaited<ReturnType<typeof slackEmulator.start>>;
let dir: string;
const orchest = (...args: string[]) => runCli(args, { cwd: dir });
const onboarding = () =>
  slack.state.channels.find((c) => c.id === SANDBOX_CHANNELS.onboarding)!.members;
const ONBOARDING = SANDBOX_CHANNELS.onboarding;

// The demo workspace: Olive (primary owner), Ada (in #onboarding), Mona, Ivan (invited).
function roster(prune: boolean): string {
  const file = join(dir, `team-${prune}.yaml`);
  writeFileSync(
    file,
    [
      'instances:',
      `  slack: { prune: ${prune}, minAdmins: 0 }`,
      'people:',
      '  - { name: Olive, email: olive@example.com, access: [slack] }',
      '  - { name: Ada, email: ada@example.com, access: [slack] }',
      `  - { name: Mona, email: mona@example.com, access: { slack: { channels: [${ONBOARDING}] } } }`,
      '  - { name: Ivan, email: ivan@example.com, access: [slack] }',
    ].join('\n'),
  );
  return file;
}

beforeAll(async () => {
  slack = await slackEmulator.start({ seed: 'demo' });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.reset('demo');
  slack.clearRequests();
  dir = mkdtempSync(join(tmpdir(), 'orch-channels-'));
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({ connectors: { slack: { type: 'slack', ...slack.configBlock() } } }),
    { mode: 0o600 },
  );
});

describe('Slack channels in plans', () => {
  it('plan shows who joins a channel; without prune nobody leaves one', async () => {
    const result = await orchest('plan', roster(false));
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').slice(1, 2)).toEqual([
      `  ~ change channels    mona@example.com (Mona): channels +${ONBOARDING}`,
    ]);
    expect(result.stdout).toContain('Plan: 1 change on 1 instance');
    // One conversations.members read for the one channel the roster names.
    const reads = slack.requests.filter((r) => r.path === '/api/conversations.members');
    expect(reads).toHaveLength(1);
  });

  it('with prune, Ada leaves the channel the roster does not give her; apply does both, then plan finds nothing', async () => {
    const file = roster(true);
    const planned = await orchest('plan', file);
    expect(planned.stdout).toContain(
      `  ~ change channels    ada@example.com (Ada): channels -${ONBOARDING}\n`,
    );
    expect(planned.stdout).toContain(
      `  ~ change channels    mona@example.com (Mona): channels +${ONBOARDING}\n`,
    );
    const applied = await orchest('apply', file, '--inline', '--yes');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(onboarding()).toContain('U0MEMBER01');
    expect(onboarding()).not.toContain('U0ADA00001');
    const again = await orchest('plan', file);
    expect(again.stdout).toContain('No changes.');
  });
});
