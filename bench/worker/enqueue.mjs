// Enqueue: `orchest batch apply` of a 10,000-row CSV (validation, batch tracking, addBulk)
// against raw addBulk of the same jobs. Goal: >= 0.8 of raw addBulk's speed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bullmq, core, isMain, Redis, report, startRedis, TOY } from './_support.mjs';

const N = 10_000;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CLI = new URL('../../apps/cli/dist/bin.js', import.meta.url).pathname;

export async function run() {
  const redis = await startRedis();
  const dir = mkdtempSync(join(tmpdir(), 'orchester-bench-enqueue-'));
  try {
    const config = join(dir, '.orchester.json');
    writeFileSync(
      config,
      JSON.stringify({
        plugins: [TOY.pathname],
        connectors: {
          'toy-a': {
            type: 'toy',
            base_url: 'http://127.0.0.1:9',
            token: 'toy-secret-token',
            team: 'core',
          },
        },
      }),
      { mode: 0o600 },
    );
    const file = join(dir, 'batch.csv');
    writeFileSync(
      file,
      `instance,action,identifier\n${Array.from({ length: N }, (_, i) => `toy-a,add,user${i}`).join('\n')}\n`,
    );

    // Raw: the same jobs (data, ids hashed as core hashes them, options) with addBulk, from a
    // process of its own (module loading included, like the CLI).
    const raw = join(dir, 'raw.mjs');
    writeFileSync(
      raw,
      `import { createHash } from 'node:crypto';
const bullmq = await import(${JSON.stringify(bullmq.__filename ?? new URL('../../apps/worker/node_modules/bullmq/dist/cjs/index.js', import.meta.url).href)});
const { Redis } = await import(${JSON.stringify(new URL('../../apps/worker/node_modules/ioredis/built/index.js', import.meta.url).href)});
const [url, batchId] = process.argv.slice(2);
const connection = new Redis(url);
const queue = new bullmq.Queue('raw', { connection, prefix: '{bench-raw}' });
const idOf = (identifier) => batchId + '.toy-a.add.' + createHash('sha256').update(identifier).digest('hex').slice(0, 20);
const jobs = Array.from({ length: ${N} }, (_, i) => ({ name: 'add', data: { instance: 'toy-a', action: 'add', identifier: 'user' + i, options: {}, batchId }, opts: { jobId: idOf('user' + i), attempts: 100, backoff: { type: 'orchester' } } }));
for (let i = 0; i < jobs.length; i += 2000) await queue.addBulk(jobs.slice(i, i + 2000));
await queue.close(); connection.disconnect();`,
    );
    const time = (fn) => {
      const started = performance.now();
      fn();
      return (performance.now() - started) / 1000;
    };
    // In turns (ROUNDS, default 5), each into an empty Redis; the median ratio is the figure.
    const rounds = [];
    let waiting = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const check = new Redis(redis.url);
      await check.flushall();
      const rawSeconds = time(() =>
        execFileSync(process.execPath, [raw, redis.url, core.newBatchId()]),
      );
      const cliSeconds = time(() =>
        execFileSync(process.execPath, [CLI, 'batch', 'apply', file, '--config', config], {
          env: { ...process.env, REDIS_URL: redis.url },
        }),
      );
      const queue = new bullmq.Queue('toy-a', { connection: check, prefix: '{orchester:toy-a}' });
      waiting = await queue.getWaitingCount();
      await queue.close();
      check.disconnect();
      rounds.push({ rawSeconds, cliSeconds, ratio: rawSeconds / cliSeconds });
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rawSeconds = median(rounds.map((r) => r.rawSeconds));
    const cliSeconds = median(rounds.map((r) => r.cliSeconds));
    const ratio = median(rounds.map((r) => r.ratio));
    const each = rounds.map((r) => r.ratio.toFixed(2)).join(', ');
    report('enqueue 10,000 rows: raw addBulk s (median)', rawSeconds.toFixed(2), 'reference', true);
    report(
      'enqueue 10,000 rows: orchest batch apply s (median)',
      cliSeconds.toFixed(2),
      `>= 0.8 x raw speed, ${waiting} jobs waiting`,
      ratio >= 0.8 && waiting === N,
    );
    report(`enqueue: speed ratio (median of ${each})`, ratio.toFixed(2), '>= 0.8', ratio >= 0.8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await redis.stop();
  }
}

if (isMain(import.meta.url)) await run();
