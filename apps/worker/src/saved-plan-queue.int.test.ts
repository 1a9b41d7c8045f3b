import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orchest as runOrchest } from '../test/helpers/cli.js';
import { LogSink, quickSections, waitFor, writeToyConfig } from '../test/helpers/harness.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { type RunningWorker, startWorker } from './main.js';

let redis: TestRedis;
let emulator: ToyEmulator;
let configPath: string;
let worker: RunningWorker | undefined;

/** Beside the config, whose folder holds the roster and the plan, on this test's Redis. */
const orchest = (args: string[]) =>
  runOrchest(args, configPath, { REDIS_URL: redis.url }, { cwd: dirname(configPath) });

beforeAll(async () => {
  redis = await startRedis();
  emulator = await startToy(['ada']);
  configPath = writeToyConfig({ 'toy-a': emulator.configBlock() }, quickSections());
  writeFileSync(
    join(dirname(configPath), 'team.yaml'),
    `people:
  - { name: Ada, email: ada@example.com, identities: { toy-a: ada }, access: [toy-a] }
  - { name: Nell, email: nell@example.com, identities: { toy-a: nell }, access: [toy-a] }
`,
  );
});

afterAll(async () => {
  await worker?.stop();
  await emulator?.close();
  await redis?.destroy();
});

describe('a saved plan through the queue', () => {
  it('is refused when stale, checked person by person; else the worker carries it out', async () => {
    const planned = await orchest(['plan', 'team.yaml', '--out', 'plan.json']);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('checked one by one (no list)');

    // Nell joins by hand before the plan is applied.
    emulator.state.members.add('nell');
    const stale = await orchest(['apply', 'plan.json', '--yes']);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('toy-a: nell: was absent, now member');
    expect(await redisKeys()).toEqual([]);

    emulator.state.members.delete('nell');
    const queued = await orchest(['apply', 'plan.json', '--yes']);
    expect(queued.stderr).toBe('');
    expect(queued.code).toBe(0);
    const batchId = /Queued batch (\S+) \(1 jobs\)/.exec(queued.stdout)?.[1];
    expect(batchId).toBeDefined();
    worker = await startWorker({
      configPath,
      env: { REDIS_URL: redis.url },
      logDestination: new LogSink(),
    });
    await waitFor('the worker to add nell', () => emulator.state.members.has('nell'), 30_000);
    const report = JSON.parse(
      (await orchest(['batch', 'report', batchId!, '--format', 'json'])).stdout,
    ) as { jobs: Array<{ identifier: string; outcome: string }> };
    expect(report.jobs.map((j) => `${j.identifier} ${j.outcome}`)).toEqual(['nell added']);
  });
});

async function redisKeys(): Promise<string[]> {
  const raw = new Redis(redis.url);
  try {
    return await raw.keys('{orchester}:batch*');
  } finally {
    raw.disconnect();
  }
}
