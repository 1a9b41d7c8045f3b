// `orchest offboard PERSON --roster FILE --at TIME` against the four emulators through the real
// SDKs: the CLI puts delayed jobs on the worker's queues, the worker (restarted, with Redis
// restarted under AOF meanwhile) removes the person everywhere at that time, and not before.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import gdriveConnector from '@orchester/connector-gdrive';
import githubConnector from '@orchester/connector-github';
import slackConnector from '@orchester/connector-slack';
import trelloConnector from '@orchester/connector-trello';
import { type RunningWorker, startWorker } from '@orchester/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogSink, waitFor } from '../../apps/worker/test/helpers/harness.js';
import { startRedis, type TestRedis } from '../../apps/worker/test/helpers/redis-server.js';
import {
  addDriveReaders,
  addGitHubMembers,
  addSlackUsers,
  addTrelloMembers,
  closeEmulators,
  drivePeople,
  type Emulators,
  INSTANCES,
  slackPeople,
  startEmulators,
  trelloPeople,
} from '../roster/emulators.js';

const { github: GH, slack: SL, trello: TR, gdrive: GD } = INSTANCES;
const CLI = resolve(fileURLToPath(new URL('../../apps/cli/dist/bin.js', import.meta.url)));
const run = promisify(execFile);

let emulators: Emulators;
let redis: TestRedis;
let dir: string;
let worker: RunningWorker | undefined;

async function orchest(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { ...process.env, HOME: dir, REDIS_URL: redis.url, ORCHESTER_CONFIG_PATH: configPath() },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const configPath = () => join(dir, '.orchester.json');

function block(emulator: { url: string; configBlock(): Record<string, unknown> }, type: string) {
  return { type, ...emulator.configBlock(), base_url: emulator.url };
}

const startOurWorker = async () => {
  worker = await startWorker({
    configPath: configPath(),
    env: { REDIS_URL: redis.url },
    connectors: [githubConnector, slackConnector, trelloConnector, gdriveConnector],
    logDestination: new LogSink(),
  });
};

beforeAll(async () => {
  [emulators, redis] = await Promise.all([startEmulators(), startRedis({ aof: true })]);
  dir = mkdtempSync(join(tmpdir(), 'orchester-scheduled-'));
  writeFileSync(
    configPath(),
    JSON.stringify({
      connectors: {
        [GH]: block(emulators.github, 'github'),
        [SL]: block(emulators.slack, 'slack'),
        [TR]: block(emulators.trello, 'trello'),
        [GD]: block(emulators.gdrive, 'gdrive'),
      },
      worker: { http: { port: 0 }, lock_duration_ms: 2_000, stalled_interval_ms: 1_000 },
      retry: { attempts: 12, base_delay_ms: 20, max_delay_ms: 200 },
    }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(dir, 'team.yaml'),
    `instances: { ${GH}: {}, ${SL}: {}, ${TR}: {}, ${GD}: {} }
people:
  - name: Gail Grant
    email: gail@example.com
    identities: { github: gail, trello: gail }
    access: [${GH}, ${SL}, ${TR}, ${GD}]
  - name: Ada Lovelace
    email: ada@example.com
    identities: { github: ada, trello: ada }
    access: [${GH}, ${SL}, ${TR}, ${GD}]
`,
  );
  // Gail and Ada everywhere; only Gail leaves.
  addGitHubMembers(emulators.github.state, ['gail', 'ada']);
  addSlackUsers(emulators.slack.state, ['gail@example.com', 'ada@example.com']);
  addTrelloMembers(emulators.trello.state, ['gail', 'ada']);
  addDriveReaders(emulators.gdrive.state, ['gail@example.com', 'ada@example.com']);
});

afterAll(async () => {
  await worker?.stop();
  await closeEmulators(emulators);
  await redis?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scheduled offboarding on the four services', () => {
  it('removes the person everywhere at the time given, after worker and Redis restarts', async () => {
    await startOurWorker();
    const runAt = Math.ceil((Date.now() + 15_000) / 1000) * 1000;
    const at = new Date(runAt).toISOString().replace('.000Z', 'Z');
    const scheduled = await orchest([
      'offboard',
      'Gail Grant',
      '--roster',
      'team.yaml',
      '--at',
      at,
    ]);
    expect(scheduled.stderr).toBe('');
    expect(scheduled.code).toBe(0);
    const batchId = /batch (\S+): /.exec(scheduled.stdout)?.[1];
    expect(batchId).toBeDefined();
    expect(scheduled.stdout).toContain(`scheduled for ${new Date(runAt).toISOString()}`);

    await worker!.stop();
    worker = undefined;
    await redis.stop();
    await redis.start();
    await startOurWorker();

    await waitFor(
      'the scheduled offboarding to end',
      async () =>
        (
          JSON.parse((await orchest(['batch', 'status', batchId!, '--json'])).stdout) as {
            finished: boolean;
          }
        ).finished,
      90_000,
      500,
    );
    const report = JSON.parse(
      (await orchest(['batch', 'report', batchId!, '--format', 'json'])).stdout,
    ) as { totals: { failed: number }; jobs: Array<{ instance: string; outcome?: string }> };
    expect(report.totals.failed).toBe(0);
    expect(new Set(report.jobs.map((j) => j.instance))).toEqual(new Set([GH, SL, TR, GD]));

    expect(Object.keys(emulators.github.state.orgs.acme!.members)).not.toContain('gail');
    expect(Object.keys(emulators.github.state.orgs.acme!.members)).toContain('ada');
    expect(Object.keys(slackPeople(emulators.slack.state))).toEqual(
      expect.not.arrayContaining(['gail@example.com']),
    );
    expect(slackPeople(emulators.slack.state)['ada@example.com']).toBe('member');
    expect(trelloPeople(emulators.trello.state).gail).toBeUndefined();
    expect(trelloPeople(emulators.trello.state).ada).toBe('normal');
    expect(drivePeople(emulators.gdrive.state)['gail@example.com']).toBeUndefined();
    expect(drivePeople(emulators.gdrive.state)['ada@example.com']).toBe('reader');
    // No service heard from orchester before the time given.
    for (const [name, emulator] of Object.entries(emulators)) {
      const times = (emulator.requests as ReadonlyArray<{ at: number }>).map((r) => r.at);
      expect(times.length, name).toBeGreaterThan(0);
      expect(Math.min(...times), name).toBeGreaterThanOrEqual(runAt);
    }
  });
});
