import { request } from 'node:http';
import { NotFoundError } from '@orchester/core';
import { createMemoryConnector } from '@orchester/core/testing';
import { openQueueClient } from '@orchester/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith, jobsOf, LogSink, newBatchId, quickSections } from '../test/helpers/harness.js';
import { startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { type RunningWorker, startWorker } from './main.js';

const TOKEN = 'dashboard-token-7d2e9c4b1a60';
const METRICS_TOKEN = 'metrics-token-3b8f1e6d2c94a7';

let redis: TestRedis;
let open: RunningWorker;
let guarded: RunningWorker;
const logs = new LogSink();
const { connector, service } = createMemoryConnector({ members: { ada: 'member' } });

/** A GET with any `Host:` header (fetch would not send a chosen one). */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: 'GET', headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ROUTES = [
  '/healthz',
  '/readyz',
  '/metrics',
  '/admin/queues',
  '/admin/queues/api/queues',
  '/nowhere',
];

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url };
  open = await startWorker({
    config: configWith({ mem: 'memory' }, quickSections()),
    env,
    connectors: [connector],
    logDestination: logs,
  });
  const sections = quickSections();
  guarded = await startWorker({
    config: configWith(
      { mem: 'memory' },
      {
        ...sections,
        // Queues of its own, so the jobs below all go to the worker without a token.
        redis: { prefix: 'guarded' },
        worker: {
          ...(sections.worker as object),
          http: {
            port: 0,
            token: TOKEN,
            metrics_token: METRICS_TOKEN,
            allowed_hosts: ['Worker.Internal'],
          },
        },
      },
    ),
    env,
    connectors: [connector],
    logDestination: { write() {} },
  });
});

afterAll(async () => {
  await guarded?.stop();
  await open?.stop();
  await redis?.destroy();
});

describe('the worker answers only to its own host names', () => {
  it('refuses a DNS-rebinding Host on every route, with or without a token', async () => {
    for (const worker of [open, guarded]) {
      for (const path of ROUTES) {
        const answer = await get(worker.httpUrl, path, {
          host: 'evil.example:9464',
          authorization: `Bearer ${TOKEN}`,
        });
        expect([path, answer.status]).toEqual([path, 421]);
        expect(answer.body).not.toContain('orchester_jobs');
      }
      // A loopback address in a longer name is still someone else's name.
      expect(
        (await get(worker.httpUrl, '/healthz', { host: '127.0.0.1.evil.example' })).status,
      ).toBe(421);
    }
  });

  it('accepts loopback names, its own address and configured names', async () => {
    const port = new URL(open.httpUrl).port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      'LOCALHOST',
      '127.0.0.2',
      `[::1]:${port}`,
    ]) {
      const answer = await get(open.httpUrl, '/admin/queues/api/queues', { host });
      expect([host, answer.status]).toEqual([host, 200]);
    }
    expect((await get(open.httpUrl, '/healthz', { host: 'worker.internal' })).status).toBe(421);
    expect((await get(guarded.httpUrl, '/healthz', { host: 'worker.internal:9464' })).status).toBe(
      200,
    );
  });
});

describe('with a token set', () => {
  it('/metrics and /readyz need the token or the metrics token; /healthz does not', async () => {
    const url = guarded.httpUrl;
    expect((await get(url, '/healthz')).status).toBe(200);
    for (const path of ['/metrics', '/readyz']) {
      const none = await get(url, path);
      expect([path, none.status]).toEqual([path, 401]);
      expect(none.body).not.toContain('orchester_jobs');
      expect((await get(url, path, { authorization: 'Bearer wrong-token-000000000' })).status).toBe(
        401,
      );
      for (const token of [TOKEN, METRICS_TOKEN]) {
        const ok = await get(url, path, { authorization: `Bearer ${token}` });
        expect([path, ok.status]).toEqual([path, 200]);
      }
    }
    // The metrics token opens the metrics, not the dashboard.
    expect(
      (
        await get(url, '/admin/queues/api/queues', {
          authorization: `Bearer ${METRICS_TOKEN}`,
        })
      ).status,
    ).toBe(401);
  });

  it('without a token, /metrics and /readyz stay open on loopback', async () => {
    expect((await get(open.httpUrl, '/metrics')).status).toBe(200);
    expect((await get(open.httpUrl, '/readyz')).status).toBe(200);
  });
});

describe("the dashboard's error answers", () => {
  const stackLike = /\n\s+at |file:\/\/|node_modules|\/(?:home|root|tmp|work|usr)\//;

  it('show a failed job by its code and message, and keep the stack in the log', async () => {
    const env = { REDIS_URL: redis.url };
    const config = configWith({ mem: 'memory' }, quickSections());
    const client = await openQueueClient({ config, env });
    const batchId = newBatchId();
    try {
      const boom = new Error('disk said no');
      service.failures.push(boom, new NotFoundError('no such person'));
      await client.enqueueBatch(
        batchId,
        jobsOf(batchId, [
          ['mem', 'check', 'zed'],
          ['mem', 'check', 'yan'],
        ]),
      );
      await client.waitForBatch(batchId, { intervalMs: 50 });
    } finally {
      await client.close();
    }
    const answer = await get(
      open.httpUrl,
      '/admin/queues/api/queues?activeQueue=mem&status=failed',
    );
    expect(answer.status).toBe(200);
    const jobs = (
      JSON.parse(answer.body) as {
        queues: Array<{ jobs: Array<{ id: string; failedReason: string; stacktrace: string[] }> }>;
      }
    ).queues[0]!.jobs.filter((j) => j.id.startsWith(batchId));
    expect(jobs.map((j) => j.failedReason).sort()).toEqual([
      'ORCH_INTERNAL: unexpected error: disk said no',
      'ORCH_NOT_FOUND: no such person',
    ]);
    expect(answer.body).not.toMatch(stackLike);
    const one = await get(open.httpUrl, `/admin/queues/api/queues/mem/${jobs[0]!.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toContain('"failedReason":"ORCH_');
    expect(one.body).not.toMatch(stackLike);
    // The log has the stack of the unexpected error, where someone can act on it.
    const line = logs.entries.find((e) => e.error === 'unexpected error: disk said no');
    expect(String(line?.stack)).toContain('disk said no\n    at ');
  });

  it('answer a failing request with a code and message, even under NODE_ENV=development', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      for (const path of [
        '/admin/queues/api/queues/mem/%E0%A4%A',
        '/admin/queues/api/queues/mem/%E0%A4%A/logs',
      ]) {
        const answer = await get(open.httpUrl, path);
        expect([path, answer.status]).toEqual([path, 400]);
        expect(JSON.parse(answer.body)).toMatchObject({ message: expect.any(String) });
        expect(answer.body).not.toMatch(stackLike);
      }
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});
