// A fleet: three worker processes (the real `orchester-worker` binary) on one batch of 1,000
// jobs for an instance whose declared rate R is the service's limit (429 with Retry-After
// beyond it) and whose answers take a while, so that requests overlap. Run against a single
// Redis and against a 3-master Redis Cluster, each of the bench's own on free ports.
// Goals: throughput >= 0.9 R, < 1% of calls answered 429, never more requests in flight at the
// service than the configured concurrency, and every job done once.
// `node bench/worker/fleet.mjs [single] [cluster]` picks the set-ups (default: both).
// R is 50/s: a 429 is waited out for its Retry-After (1 s at least) by the whole fleet, so at
// 100/s one 429 that jitter on a busy machine lets through costs a 10 s run 9% of its
// throughput (0.955 R without one, 0.87-0.89 R with one or two, measured here).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  client,
  core,
  isMain,
  jobs,
  report,
  startRedis,
  startRedisCluster,
  TOY,
  waitDone,
} from './_support.mjs';

const WORKERS = 3;
const N = 1_000;
const R = 50; // requests (= jobs: one PUT each) per second
const CONCURRENCY = 8;
const ANSWER_MS = 30; // each write answers this late, so requests overlap
const workerBin = fileURLToPath(new URL('../../apps/worker/dist/bin.js', import.meta.url));

const SETUPS = {
  async single() {
    const redis = await startRedis();
    return { label: 'single Redis', config: { url: redis.url }, stop: redis.stop };
  },
  async cluster() {
    const cluster = await startRedisCluster(3);
    return {
      label: 'Redis Cluster (3 masters)',
      config: { cluster: { nodes: cluster.nodes } },
      stop: cluster.stop,
    };
  },
};

/** Starts one worker process; `stop()` sends SIGTERM (it drains) and waits for its exit. */
function startWorkerProcess(configPath, env) {
  const proc = spawn(process.execPath, [workerBin, '--config', configPath], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    exited,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

async function runOn(setupName) {
  const setup = await SETUPS[setupName]();
  const toy = await import(new URL('sandbox.js', TOY).href);
  const emulator = await toy.default.start({ seed: 'empty' });
  toy.limitRequests(emulator, R, 1_000);
  emulator.state.answerDelayMs = ANSWER_MS;
  const dir = mkdtempSync(join(tmpdir(), 'orchester-bench-fleet-'));
  const workers = [];
  try {
    const configPath = join(dir, '.orchester.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        plugins: [TOY.pathname],
        connectors: {
          'toy-a': {
            ...emulator.configBlock(),
            limits: { concurrency: CONCURRENCY, rate: { max: R, duration_ms: 1_000 } },
          },
        },
        redis: setup.config,
        worker: { http: { port: 0 } },
      }),
      { mode: 0o600 },
    );
    // Redis comes from the config alone: REDIS_URL beside redis.cluster is a config error.
    const { REDIS_URL: _ignored, ...env } = process.env;
    const config = core.loadConfig({ explicitPath: configPath, env });
    const queueClient = await client.openQueueClient({ config, env });
    const batchId = core.newBatchId();
    for (let i = 0; i < WORKERS; i++) workers.push(startWorkerProcess(configPath, env));
    await queueClient.enqueueBatch(batchId, jobs(batchId, 'toy-a', N, 'add'));
    const failedEarly = Promise.race(
      workers.map((w) =>
        w.exited.then((code) => {
          throw new Error(`a worker exited ${code} before the batch was done: ${w.stderr()}`);
        }),
      ),
    );
    const status = await Promise.race([waitDone(queueClient, batchId, N, 50), failedEarly]);
    failedEarly.catch(() => {});
    await queueClient.close();

    // Measured at the service: from its first request to its last.
    const calls = emulator.requests;
    const times = calls.map((r) => r.at);
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    const throughput = N / span;
    const limited = calls.filter((r) => r.status === 429).length;
    const changes = emulator.state.changes;
    const distinct = new Set(changes.map((c) => c.user)).size;
    const name = `fleet, ${setup.label}`;
    console.log(
      `${name}: ${WORKERS} worker processes, ${N} jobs, R = ${R}/s, concurrency ${CONCURRENCY}, answers ${ANSWER_MS} ms late`,
    );
    report(
      `${name}: throughput / R`,
      `${(throughput / R).toFixed(3)} (${throughput.toFixed(1)} jobs/s over ${span.toFixed(1)} s)`,
      '>= 0.9',
      throughput >= 0.9 * R,
    );
    report(
      `${name}: calls answered 429`,
      `${((100 * limited) / calls.length).toFixed(2)}% (${limited}/${calls.length})`,
      '< 1%',
      limited / calls.length < 0.01,
    );
    report(
      `${name}: most requests in flight at the service`,
      emulator.state.maxInFlight,
      `<= ${CONCURRENCY} (configured)`,
      emulator.state.maxInFlight <= CONCURRENCY,
    );
    report(
      `${name}: jobs done / failed / changes at the service (distinct)`,
      `${status.done} / ${status.failed} / ${changes.length} (${distinct})`,
      `${N} / 0 / ${N} (${N})`,
      status.done === N && status.failed === 0 && changes.length === N && distinct === N,
    );
  } finally {
    const codes = await Promise.all(workers.map((w) => w.stop()));
    if (codes.some((c) => c !== 0)) console.log(`  worker exit codes: ${codes.join(', ')}`);
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
    await setup.stop();
  }
}

export async function run(setups = ['single', 'cluster']) {
  for (const name of setups) {
    if (!(name in SETUPS)) throw new Error(`unknown Redis set-up "${name}"; use single or cluster`);
    await runOn(name);
  }
}

if (isMain(import.meta.url)) {
  const asked = process.argv.slice(2);
  await run(asked.length > 0 ? asked : undefined);
}
