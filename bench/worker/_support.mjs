// Shared by the worker benchmarks: a redis-server of their own, the packages they measure, and
// the line format `name: value (goal: ..., ok|MISSED)`.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const worker = new URL('../../apps/worker/', import.meta.url);
export const bullmq = await import(new URL('node_modules/bullmq/dist/cjs/index.js', worker).href);
export const { Redis } = await import(new URL('node_modules/ioredis/built/index.js', worker).href);
export const core = await import(
  new URL('node_modules/@orchester/runtime/dist/index.js', worker).href
);
// The in-memory connector (core's testing entry) and config helpers (the runtime's), as one.
export const testing = {
  ...(await import(new URL('node_modules/@orchester/core/dist/testing/index.js', worker).href)),
  ...(await import(new URL('node_modules/@orchester/runtime/dist/testing/index.js', worker).href)),
};
export const orchesterWorker = await import(new URL('dist/index.js', worker).href);
// The queue protocol (queue client, keys): what `orchest` enqueues with.
export const client = await import(
  new URL('node_modules/@orchester/queue/dist/index.js', worker).href
);
export const TOY = new URL('test/fixtures/connector-toy/', worker);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server on `port` in a temp folder of its own, without persistence, and its stop. */
async function redisServer(port, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'orchester-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  const proc = spawn('redis-server', [...args, '--save', '', '--appendonly', 'no', ...extra], {
    stdio: ['ignore', 'pipe', 'ignore'],
    cwd: dir,
  });
  await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (c) => {
      out += c;
      if (out.includes('Ready to accept connections')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
  });
  return async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      await new Promise((r) => {
        proc.once('exit', r);
        proc.kill('SIGTERM');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

/** A redis-server on a free port in its own temp folder, without persistence. */
export async function startRedis() {
  const port = await freePort();
  const stop = await redisServer(port);
  return { url: `redis://127.0.0.1:${port}`, stop };
}

/**
 * A Redis Cluster of `masters` masters (no replicas) on free ports, made with
 * `redis-cli --cluster create`; `nodes` are the URLs for `redis.cluster.nodes`.
 */
export async function startRedisCluster(masters = 3) {
  const stops = [];
  const stop = () => Promise.all(stops.map((s) => s()));
  try {
    const ports = [];
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      const bus = await freePort();
      const extra = ['--cluster-enabled', 'yes', '--cluster-port', String(bus)];
      stops.push(await redisServer(port, [...extra, '--cluster-config-file', 'nodes.conf']));
      ports.push(port);
    }
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-yes']);
    // Every node must say the cluster is ok before clients use it.
    for (const port of ports) {
      for (;;) {
        const { stdout } = await promisify(execFile)('redis-cli', [
          '-p',
          String(port),
          'cluster',
          'info',
        ]);
        if (stdout.includes('cluster_state:ok')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { nodes: addresses.map((a) => `redis://${a}`), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Prints one result line. */
export function report(name, value, goal, ok) {
  console.log(`${name}: ${value} (goal: ${goal}, ${ok ? 'ok' : 'MISSED'})`);
}

/** A config object with one memory-connector instance per name, and sections. */
export function memoryConfig(instances, sections) {
  return { ...testing.memoryConfig(instances), sections };
}

export const quietLog = { write() {} };

export function jobs(batchId, instance, n, action = 'check') {
  return Array.from({ length: n }, (_, i) => ({
    instance,
    action,
    identifier: `user${i}`,
    options: {},
    batchId,
  }));
}

export async function waitDone(queueClient, batchId, total, everyMs = 25) {
  for (;;) {
    const s = await queueClient.status(batchId);
    if (s && s.done >= total) return s;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function isMain(url) {
  return process.argv[1] && new URL(url).pathname === process.argv[1];
}
