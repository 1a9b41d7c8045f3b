// Worker overhead: the orchester worker (in-memory connector) against a bare BullMQ Worker with a
// no-op processor, same Redis, concurrency 50, 20,000 jobs each. Goal: >= 0.85 of bare BullMQ (the cost of exactly-once batch records, accepted).
// - The figure the goal is judged on gives bare BullMQ the very jobs orchester runs (enqueued
//   by the same client: same data, ids and options), so it measures what the worker adds.
//   Bare BullMQ on minimal jobs (`{i}` data, short ids) is printed beside it, for reference.
// - Each is timed from its first job's start to its last job's start: jobs per second once
//   running. The orchester worker's start-up is printed on its own.
// - They run in turns (ROUNDS, default 7) and the median of the per-round ratios is the
//   figure: on a shared 2-core machine one run of either can be off by a third.
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
const ROUNDS = Number(process.env.ROUNDS ?? 7);

/** Enqueues bare BullMQ's jobs: orchester's own (through its client), or minimal ones. */
async function enqueueForBare(url, round, kind) {
  if (kind === 'same') {
    const prefix = `bare-${round}`;
    const config = memoryConfig({ mem: 'memory' }, { redis: { prefix } });
    const queueClient = await client.openQueueClient({ config, env: { REDIS_URL: url } });
    const batchId = core.newBatchId();
    await queueClient.enqueueBatch(batchId, jobs(batchId, 'mem', N));
    await queueClient.close();
    return { name: 'mem', prefix: client.queuePrefix(prefix, 'mem') };
  }
  const connection = new Redis(url);
  const prefix = '{bench-bare}';
  const queue = new bullmq.Queue('bare', { connection, prefix });
  for (let i = 0; i < N; i += 2_000) {
    await queue.addBulk(
      Array.from({ length: Math.min(2_000, N - i) }, (_, j) => ({
        name: 'check',
        data: { i: i + j },
        opts: { jobId: `bare.${round}.${i + j}` },
      })),
    );
  }
  await queue.close();
  connection.disconnect();
  return { name: 'bare', prefix };
}

async function bare(url, round, kind) {
  const { name, prefix } = await enqueueForBare(url, round, kind);
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  // The orchester worker's default retention.
  const keep = {
    removeOnComplete: { age: 86_400, count: 10_000 },
    removeOnFail: { age: 604_800, count: 50_000 },
  };
  let done = 0;
  let first;
  let last;
  const finished = new Promise((resolve) => {
    const worker = new bullmq.Worker(
      name,
      async () => {
        last = performance.now();
        first ??= last;
      },
      { connection, prefix, concurrency: CONCURRENCY, ...keep },
    );
    worker.on('completed', () => {
      done += 1;
      if (done === N) resolve(worker);
    });
  });
  const worker = await finished;
  const seconds = (last - first) / 1000;
  await worker.close();
  connection.disconnect();
  return (N - 1) / seconds;
}

async function orchester(url) {
  const { connector, service } = testing.createMemoryConnector({
    limits: { concurrency: CONCURRENCY },
  });
  // Every job calls the service once: the first and last calls bound the running time.
  let first;
  let last;
  const call = service.next.bind(service);
  service.next = (action, identifier) => {
    last = performance.now();
    first ??= last;
    call(action, identifier);
  };
  const config = memoryConfig({ mem: 'memory' }, { worker: { http: { port: 0 } } });
  const env = { REDIS_URL: url };
  const queueClient = await client.openQueueClient({ config, env });
  const batchId = core.newBatchId();
  await queueClient.enqueueBatch(batchId, jobs(batchId, 'mem', N));
  const starting = performance.now();
  const worker = await orchesterWorker.startWorker({
    config,
    env,
    connectors: [connector],
    logDestination: quietLog,
  });
  await waitDone(queueClient, batchId, N, 100);
  await worker.stop();
  await queueClient.close();
  return { rate: (N - 1) / ((last - first) / 1000), startMs: first - starting };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  const redis = await startRedis();
  try {
    // Each run starts on an empty Redis: what earlier runs keep (finished jobs, batch
    // reports) would otherwise make later runs slower, whichever they were.
    const admin = new Redis(redis.url);
    const fresh = async (run) => {
      await admin.flushall();
      return run();
    };
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const same = await fresh(() => bare(redis.url, round, 'same'));
      const { rate: ours, startMs } = await fresh(() => orchester(redis.url));
      const minimal = await fresh(() => bare(redis.url, round, 'minimal'));
      rounds.push({ same, minimal, ours, startMs });
      if (process.env.VERBOSE)
        console.log(
          `round ${round}: bare ${same.toFixed(0)}/s (minimal jobs ${minimal.toFixed(0)}/s), orchester ${ours.toFixed(0)}/s`,
        );
    }
    const of = (key) => median(rounds.map((r) => r[key]));
    const ratios = rounds.map((r) => r.ours / r.same);
    const ratio = median(ratios);
    const minimalRatio = median(rounds.map((r) => r.ours / r.minimal));
    report(
      'worker overhead: bare BullMQ jobs/s, same jobs (median)',
      of('same').toFixed(0),
      'reference',
      true,
    );
    report(
      'worker overhead: orchester worker jobs/s (median)',
      of('ours').toFixed(0),
      '>= 0.85 x bare',
      ratio >= 0.85,
    );
    const each = ratios.map((r) => r.toFixed(2)).join(', ');
    report(
      `worker overhead: ratio (median of ${each})`,
      ratio.toFixed(2),
      '>= 0.85',
      ratio >= 0.85,
    );
    console.log(
      `worker overhead: for reference, bare BullMQ on minimal jobs ${of('minimal').toFixed(0)} jobs/s; orchester at ${minimalRatio.toFixed(2)} of it`,
    );
    console.log(
      `worker overhead: orchester worker start to first job (median): ${of('startMs').toFixed(0)} ms`,
    );
    admin.disconnect();
  } finally {
    await redis.stop();
  }
}

if (isMain(import.meta.url)) await run();
