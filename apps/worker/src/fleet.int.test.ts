// A fleet of worker processes shares one batch: each job runs once, and the instance's
// concurrency holds for the fleet as a whole, counted where it matters, at the service.
import { type ChildProcess, spawn } from 'node:child_process';
import { openQueueClient } from '@orchester/queue';
import { loadConfig, type MembershipJob, newBatchId } from '@orchester/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { quickSections, WORKER_BIN, writeToyConfig } from '../test/helpers/harness.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { startToy } from '../test/helpers/toy.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

const WORKERS = 3;
const CONCURRENCY = 3;
const N = 150;

describe('a fleet of worker processes', () => {
  it(`${WORKERS} workers on ${N} jobs: each job once, never more than the configured ${CONCURRENCY} requests at the service at once`, async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.destroy());
    const emulator = await startToy([]);
    cleanups.push(() => emulator.close());
    // Answers come late, so that jobs overlap and the fleet has to hold back.
    emulator.state.answerDelayMs = 20;
    const configPath = writeToyConfig(
      {
        'toy-a': {
          ...emulator.configBlock(),
          timeout_ms: 10_000,
          limits: { concurrency: CONCURRENCY },
        },
      },
      quickSections(),
    );
    const env = { ...process.env, REDIS_URL: redis.url, ORCHESTER_CONFIG_PATH: '' };
    const client = await openQueueClient({ config: loadConfig({ explicitPath: configPath }), env });
    cleanups.push(() => client.close());

    const workers: ChildProcess[] = [];
    for (let i = 0; i < WORKERS; i++) {
      const child = spawn(process.execPath, [WORKER_BIN, '--config', configPath], {
        env,
        stdio: 'ignore',
      });
      workers.push(child);
      cleanups.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      });
    }
    const batchId = newBatchId();
    const jobs: MembershipJob[] = Array.from({ length: N }, (_, i) => ({
      instance: 'toy-a',
      action: 'add',
      identifier: `p${i}`,
      options: {},
      batchId,
    }));
    await client.enqueueBatch(batchId, jobs);

    const status = await client.waitForBatch(batchId, { intervalMs: 200 });
    expect(status).toMatchObject({ total: N, succeeded: N, failed: 0 });
    expect(emulator.state.changes).toHaveLength(N);
    expect(new Set(emulator.state.changes.map((c) => c.user)).size).toBe(N);
    // Fleet-wide: three workers, yet never more than the instance's concurrency at once...
    expect(emulator.state.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
    // ...and they did work side by side, so the bound above was put to the test.
    expect(emulator.state.maxInFlight).toBeGreaterThan(1);
    for (const w of workers) w.kill('SIGTERM');
  });
});
