// Shared by the worker benchmarks: a redis-server of their own, the packages they measure, and
// the line format `name: value (goal: ..., ok|MISSED)`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** A redis-server on a free port in its own temp folder, without persistence. */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'orchester-bench-redis-'));
  const proc = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (c) => {
      out += c;
      if (out.includes('Ready to accept connections')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await new Promise((r) => {
        proc.once('exit', r);
        proc.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
