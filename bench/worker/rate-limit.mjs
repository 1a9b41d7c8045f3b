// Rate-limit saturation: 600 jobs against an emulator that allows R requests per second (429 with
// Retry-After beyond). Goals: throughput >= 0.9 R, zero failed jobs, < 1% of calls answered 429.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  client,
  core,
  isMain,
  jobs,
  orchesterWorker,
  quietLog,
  report,
  startRedis,
  TOY,
  waitDone,
} from './_support.mjs';

const R = 100;
const N = 600;

export async function run() {
  const redis = await startRedis();
  const toy = await import(new URL('sandbox.js', TOY).href);
  const emulator = await toy.default.start({ seed: 'empty' });
  toy.limitRequests(emulator, R, 1_000);
  const dir = mkdtempSync(join(tmpdir(), 'orchester-bench-rate-'));
  try {
    const configPath = join(dir, '.orchester.json');
    // The instance's rate is set at the service's published limit.
    const block = {
      ...emulator.configBlock(),
      limits: { concurrency: 20, rate: { max: R, duration_ms: 1_000 } },
    };
    writeFileSync(
      configPath,
      JSON.stringify({
        plugins: [TOY.pathname],
        connectors: { 'toy-a': block },
        worker: { http: { port: 0 } },
      }),
      { mode: 0o600 },
    );
    const env = { REDIS_URL: redis.url };
    const config = core.loadConfig({ explicitPath: configPath, env });
    const queueClient = await client.openQueueClient({ config, env });
    const batchId = core.newBatchId();
    const worker = await orchesterWorker.startWorker({ config, env, logDestination: quietLog });
    const started = performance.now();
    await queueClient.enqueueBatch(batchId, jobs(batchId, 'toy-a', N, 'add'));
    const status = await waitDone(queueClient, batchId, N, 50);
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    await queueClient.close();
    const calls = emulator.requests.length;
    const limited = emulator.requests.filter((r) => r.status === 429).length;
    const throughput = N / seconds;
    report(
      'rate-limit saturation: jobs/s',
      throughput.toFixed(1),
      `>= ${0.9 * R} (0.9 x ${R}/s)`,
      throughput >= 0.9 * R,
    );
    report('rate-limit saturation: failed jobs', status.failed, '0', status.failed === 0);
    report(
      'rate-limit saturation: calls answered 429',
      `${((100 * limited) / calls).toFixed(2)}% (${limited}/${calls})`,
      '< 1%',
      limited / calls < 0.01,
    );
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
    await redis.stop();
  }
}

if (isMain(import.meta.url)) await run();
