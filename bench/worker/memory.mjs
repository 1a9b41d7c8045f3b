// Memory: the worker's RSS after 100,000 jobs <= 150 MB, and within 10% of its value after 20,000.
import {
  client,
  core,
  isMain,
  jobs,
  memoryConfig,
  orchesterWorker,
  quietLog,
  report,
  startRedis,
  testing,
  waitDone,
} from './support.mjs';

const TOTAL = 100_000;
const FIRST = 20_000;

export async function run() {
  const redis = await startRedis();
  try {
    const { connector, service } = testing.createMemoryConnector({ limits: { concurrency: 50 } });
    const config = memoryConfig({ mem: 'memory' }, { worker: { http: { port: 0 } } });
    const env = { REDIS_URL: redis.url };
    const queueClient = await client.openQueueClient({ config, env });
    const worker = await orchesterWorker.startWorker({
      config,
      env,
      connectors: [connector],
      logDestination: quietLog,
    });
    const mb = () => {
      globalThis.gc?.();
      return process.memoryUsage().rss / 1024 / 1024;
    };
    let done = 0;
    let at20k = 0;
    // Batches of 10,000, so enqueued-but-unrun jobs do not count as the worker's memory.
    while (done < TOTAL) {
      const batchId = core.newBatchId();
      await queueClient.enqueueBatch(
        batchId,
        jobs(batchId, 'mem', 10_000).map((j, i) => ({ ...j, identifier: `u${done + i}` })),
      );
      await waitDone(queueClient, batchId, 10_000, 50);
      done += 10_000;
      // The memory connector's call log grows by design; it is the test double, not the worker.
      service.calls.splice(0);
      if (done === FIRST) at20k = mb();
    }
    const at100k = mb();
    await worker.stop();
    await queueClient.close();
    const growth = (at100k - at20k) / at20k;
    report('memory: RSS after 20,000 jobs MB', at20k.toFixed(0), 'reference', true);
    report('memory: RSS after 100,000 jobs MB', at100k.toFixed(0), '<= 150', at100k <= 150);
    report('memory: growth 20k -> 100k', `${(growth * 100).toFixed(1)}%`, '<= 10%', growth <= 0.1);
  } finally {
    await redis.stop();
  }
}

if (isMain(import.meta.url)) await run();
