// The HTTP helper against a real HTTP server on 127.0.0.1, through the real fetch.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import type { ServiceCall } from '../contract.js';
import { isOrchesterError, type OrchesterError, RateLimitedError } from '../errors.js';
import { rejectionOf } from '../testing/rejection.js';
import { createServiceHttp } from './service-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const handlers = new Map<string, Handler>();
let server: Server;
let base: string;
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const handler = [...handlers].find(([prefix]) => path.startsWith(prefix))?.[1];
      if (handler) handler(req, res, body);
      else res.writeHead(404).end();
    });
  });
  handlers.set('/json/', (req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization, body }),
    );
  });
  handlers.set('/status/', (req, res) => {
    const status = Number(new URL(req.url ?? '', 'http://x').pathname.split('/')[2]);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const retryAfter = new URL(req.url ?? '', 'http://x').searchParams.get('retry');
    if (retryAfter) headers['retry-after'] = retryAfter;
    res.writeHead(status, headers).end(JSON.stringify({ message: `said ${status}` }));
  });
  handlers.set('/hang', (_req, res) => {
    held.push(res);
  });
  handlers.set('/reset', (req) => {
    req.socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of held) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function helper(options: { timeoutMs?: number; controller?: AbortController } = {}) {
  const calls: ServiceCall[] = [];
  const controller = options.controller ?? new AbortController();
  const http = createServiceHttp(
    { signal: controller.signal, clock: systemClock, recordCall: (c) => calls.push(c) },
    {
      service: 'Example',
      baseUrl: base,
      routes: ['/json/people/{email}', '/status/{code}'],
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    },
  );
  return { http, calls, controller };
}

async function rejection(promise: Promise<unknown>): Promise<OrchesterError> {
  const error = await rejectionOf(promise);
  if (!isOrchesterError(error))
    throw new Error(`expected an orchester error, got ${String(error)}`);
  return error;
}

describe('ServiceHttp.request', () => {
  it('fills the route, sends JSON, reads JSON and records the template', async () => {
    const { http, calls } = helper();
    const answer = await http
      .with({ headers: { authorization: 'Bearer t0ken-value' } })
      .request<{ method: string; url: string; auth: string; body: string }>({
        method: 'PUT',
        route: '/json/people/{email}',
        params: { email: 'ann@example.com' },
        query: { notify: false, skip: undefined },
        body: { role: 'admin' },
      });
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({
      method: 'PUT',
      url: '/json/people/ann%40example.com?notify=false',
      auth: 'Bearer t0ken-value',
      body: '{"role":"admin"}',
    });
    expect(calls).toEqual([
      expect.objectContaining({ method: 'PUT', route: '/json/people/{email}', status: 200 }),
    ]);
  });

  it.each([
    [400, 'ORCH_REJECTED'],
    [401, 'ORCH_AUTHENTICATION'],
    [403, 'ORCH_PERMISSION'],
    [404, 'ORCH_NOT_FOUND'],
    [409, 'ORCH_CONFLICT'],
    [422, 'ORCH_CONFLICT'],
    [500, 'ORCH_TRANSIENT'],
    [503, 'ORCH_TRANSIENT'],
    [418, 'ORCH_INTERNAL'],
  ])('maps %i to %s, quoting the service', async (status, code) => {
    const { http, calls } = helper();
    const error = await rejection(
      http.request({ route: '/status/{code}', params: { code: status }, doing: 'checking ann' }),
    );
    expect(error.code).toBe(code);
    expect(error.message).toContain(
      `Example answered ${status} (said ${status}) while checking ann`,
    );
    expect(calls[0]).toMatchObject({ route: '/status/{code}', status });
  });

  it('waits a minute on a 429 that names no wait, or what the connector says its service documents', async () => {
    const { http } = helper();
    const error = (await rejection(
      http.request({ route: '/status/{code}', params: { code: 429 } }),
    )) as RateLimitedError;
    expect(error.retryAfterMs).toBe(60_000);
    expect(error.message).toContain('waiting 60 s (it named no wait)');
    const documented = (await rejection(
      http
        .with({ defaultRetryAfterMs: 5_000 })
        .request({ route: '/status/{code}', params: { code: 429 } }),
    )) as RateLimitedError;
    expect(documented.retryAfterMs).toBe(5_000);
    expect(documented.message).toContain('waiting 5 s (it named no wait)');
  });

  it("lets a request read a failure the service's own way, else maps the status", async () => {
    const { http } = helper();
    const own = await rejection(
      http.request({
        route: '/status/{code}',
        params: { code: 403 },
        doing: 'adding ann',
        failure: (answer) =>
          answer.text.includes('said 403')
            ? new RateLimitedError(`${answer.message} while ${answer.doing}`, 5_000)
            : undefined,
      }),
    );
    expect(own).toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      retryAfterMs: 5_000,
      message: 'said 403 while adding ann',
    });
    const common = await rejection(
      http.request({ route: '/status/{code}', params: { code: 404 }, failure: () => undefined }),
    );
    expect(common.code).toBe('ORCH_NOT_FOUND');
  });

  it('answers an accepted status as data', async () => {
    const { http } = helper();
    const answer = await http.request({
      route: '/status/{code}',
      params: { code: 404 },
      accept: [404],
    });
    expect(answer).toMatchObject({ status: 404, data: { message: 'said 404' } });
  });

  it('honours Retry-After in seconds and as an HTTP date on a 429', async () => {
    const { http } = helper();
    const seconds = await rejection(
      http.request({ route: '/status/{code}', params: { code: 429 }, query: { retry: '42' } }),
    );
    expect(seconds).toBeInstanceOf(RateLimitedError);
    expect((seconds as RateLimitedError).retryAfterMs).toBe(42_000);
    expect((seconds as Error).message).toContain('waiting 42 s (as it asks)');

    const date = new Date(Date.now() + 120_000).toUTCString();
    const dated = (await rejection(
      http.request({ route: '/status/{code}', params: { code: 429 }, query: { retry: date } }),
    )) as RateLimitedError;
    // An HTTP date has whole seconds, and the request itself takes a moment.
    expect(dated.retryAfterMs).toBeGreaterThan(115_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(120_000);
  });
});

describe('ServiceHttp.fetch', () => {
  it('answers every status as is and records the route template, not the URL', async () => {
    const { http, calls } = helper();
    const response = await http.fetch(`${base}/status/503`);
    expect(response.status).toBe(503);
    await http.fetch(`${base}/json/people/bob@example.com?x=1`, { method: 'post', body: 'x' });
    expect(calls.map((c) => [c.method, c.route, c.status])).toEqual([
      ['GET', '/status/{code}', 503],
      ['POST', '/json/people/{email}', 200],
    ]);
    await http.fetch(`${base}/unknown/bob@example.com`);
    expect(calls[2]?.route).toBe('other');
  });

  it('names a URL with routeOf when one is given', async () => {
    const { http: plain, calls } = helper();
    const http = plain.with({ routeOf: (url) => `/api/${url.pathname.split('/').pop()}` });
    await http.fetch(`${base}/json/users.lookupByEmail?email=a@b.co`);
    expect(calls[0]?.route).toBe('/api/users.lookupByEmail');
  });

  it('turns a request that outlives the timeout into a TransientError', async () => {
    const { http, calls } = helper({ timeoutMs: 100 });
    const error = await rejection(http.fetch(`${base}/hang`));
    expect(error.code).toBe('ORCH_TRANSIENT');
    expect(error.message).toBe('Example did not answer within 100 ms');
    expect(calls[0]).toMatchObject({ route: 'other', status: 0 });
  });

  it('turns a dropped connection into a TransientError', async () => {
    const { http } = helper();
    const error = await rejection(http.fetch(`${base}/reset`));
    expect(error.code).toBe('ORCH_TRANSIENT');
    expect(error.message).toMatch(/^could not reach Example/);
  });

  it('turns a refused connection into a TransientError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { http } = helper();
    const error = await rejection(http.fetch(`http://127.0.0.1:${port}/x`));
    expect(error.code).toBe('ORCH_TRANSIENT');
    expect(error.message).toBe('could not reach Example (ECONNREFUSED)');
  });

  it('stops a request in flight when orchester aborts: CancelledError', async () => {
    const { http, controller } = helper();
    const pending = rejection(http.fetch(`${base}/hang`));
    // Abort once the server holds the request, so the abort is what ends it.
    const before = held.length;
    while (held.length === before) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('shutting down'));
    const error = await pending;
    expect(error.code).toBe('ORCH_CANCELLED');
    expect(error.retryable).toBe(true);
  });

  it("keeps the caller's own signal", async () => {
    const { http } = helper();
    const own = new AbortController();
    own.abort();
    const error = await rejection(http.fetch(`${base}/json/x`, { signal: own.signal }));
    // Not orchester's abort and not a timeout: the SDK's own cancellation, reported as no answer.
    expect(error.code).toBe('ORCH_TRANSIENT');
  });
});
