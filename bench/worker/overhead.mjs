// Worker overhead: the orchester worker (in-memory connector) against a bare BullMQ Worker with a
// no-op processor, same Redis, concurrency 50, 20,000 jobs each. Goal: >= 0.9 of bare BullMQ.
// The two run in turns (ROUNDS, default 3) and the median of the per-round ratios is the figure:
// on a shared 2-core machine one run of either can be off by half.
import {
  bullmq,
  client,
  core,
  isMain,
  jobs,
  memoryConfig,
  orchesterWorker,
  quietLog,
  Redis,
  report,
  startRedis,
  testing,
  waitDone,
} from './_support.mjs';

const N = 20_000;
const CONCURRENCY = 50;
const ROUNDS = Number(process.env.ROUNDS ?? 3);

async function bare(url, round) {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const prefix = '{bench-bare}';
  const queue = new bullmq.Queue('bare', { connection, prefix });
  const keep = { removeOnComplete: { age: 86_400, count: 10_000 } };
  for (let i = 0; i < N; i += 2_000) {
    await queue.addBulk(
      Array.from({ length: Math.min(2_000, N - i) }, (_, j) => ({
        name: 'check',
        data: { i: i + j },
        opts: { jobId: `bare.${round}.${i + j}`, ...keep },
      })),
    );
  }
  let done = 0;
  const started = performance.now();
  const finished = new Promise((resolve) => {
    const worker = new bullmq.Worker('bare', async () => {}, {
      connection,
      prefix,
      concurrency: CONCURRENCY,
      ...keep,
    });
    worker.on('completed', () => {
      done += 1;
      if (done === N) resolve(worker);
    });
  });
  const worker = await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.close();
  connection.disconnect();
  return N / seconds;
}

async function orchester(url) {
  const { connector } = testing.createMemoryConnector({ limits: { concurrency: CONCURRENCY } });
  const config = memoryConfig({ mem: 'memory' }, { worker: { http: { port: 0 } } });
  const env = { REDIS_URL: url };
  const queueClient = await client.openQueueClient({ config, env });
  const batchId = core.newBatchId();
  await queueClient.enqueueBatch(batchId, jobs(batchId, 'mem', N));
  const started = performance.now();
  const worker = await orchesterWorker.startWorker({
    config,
    env,
    connectors: [connector],
    logDestination: quietLog,
  });
  await waitDone(queueClient, batchId, N, 10);
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  await queueClient.close();
  return N / seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const redis = await startRedis();
  try {
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bareRate = await bare(redis.url, round);
      const ours = await orchester(redis.url);
      rounds.push({ bareRate, ours, ratio: ours / bareRate });
      if (process.env.VERBOSE)
        console.log(
          `round ${round}: bare ${bareRate.toFixed(0)}/s, orchester ${ours.toFixed(0)}/s`,
        );
    }
    const ratio = median(rounds.map((r) => r.ratio));
    const each = rounds.map((r) => r.ratio.toFixed(2)).join(', ');
    report(
      'worker overhead: bare BullMQ jobs/s (median)',
      median(rounds.map((r) => r.bareRate)).toFixed(0),
      'reference',
      true,
    );
    report(
      'worker overhead: orchester worker jobs/s (median)',
      median(rounds.map((r) => r.ours)).toFixed(0),
      '>= 0.9 x bare',
      ratio >= 0.9,
    );
    report(`worker overhead: ratio (median of ${each})`, ratio.toFixed(2), '>= 0.9', ratio >= 0.9);
  } finally {
    await redis.stop();
  }
}

if (isMain(import.meta.url)) await run();
