// Memory: the worker's RSS after 100,000 jobs <= 150 MB, and within 10% of its value after 20,000.
// The worker runs in a process of its own (_memory-runner.mjs); this one enqueues and waits.
import { fork } from 'node:child_process';
import {
  client,
  core,
  isMain,
  jobs,
  memoryConfig,
  report,
  startRedis,
  waitDone,
} from './_support.mjs';

const TOTAL = 100_000;
const FIRST = 20_000;
const RUNNER = new URL('_memory-runner.mjs', import.meta.url).pathname;

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

export async function run() {
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url };
  const child = fork(RUNNER, [], { env: { ...process.env, ...env }, execArgv: ['--expose-gc'] });
  try {
    await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`the worker process exited ${code}`)));
    });
    const config = memoryConfig({ mem: 'memory' }, {});
    const queueClient = await client.openQueueClient({ config, env });
    const mb = async () => (await ask(child, { type: 'rss' })).rss / 1024 / 1024;
    const atStart = await mb();
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
      if (done === FIRST) at20k = await mb();
    }
    const at100k = await mb();
    await queueClient.close();
    const growth = (at100k - at20k) / at20k;
    report('memory: worker RSS at start MB', atStart.toFixed(0), 'reference', true);
    report('memory: worker RSS after 20,000 jobs MB', at20k.toFixed(0), 'reference', true);
    report('memory: worker RSS after 100,000 jobs MB', at100k.toFixed(0), '<= 150', at100k <= 150);
    report('memory: growth 20k -> 100k', `${(growth * 100).toFixed(1)}%`, '<= 10%', growth <= 0.1);
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      child.kill();
    }
    await redis.stop();
  }
}

if (isMain(import.meta.url)) await run();
