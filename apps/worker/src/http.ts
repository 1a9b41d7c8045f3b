import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Logger } from '@orchester/core';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import { BOARD, bearerGuard, boardGuard, hostGuard } from './http-guards.js';

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  /** The dashboard's token; without one the dashboard is served only on loopback (checked by settings). */
  readonly token: string | undefined;
  /** Opens `/metrics` and `/readyz` besides `token`. */
  readonly metricsToken?: string | undefined;
  /** Host names answered besides loopback names and the server's own address. */
  readonly allowedHosts?: readonly string[];
  readonly metrics: Registry;
  readonly logger: Logger;
  queues(): Queue[];
  /** Redis answers and every connector loaded. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
}

export interface RunningHttp {
  readonly url: string;
  close(): Promise<void>;
}

/** An error's code (`ORCH_*`, or a Node/HTTP code) and message: what an answer may show. */
function errorFields(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : 'ERR_INTERNAL',
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
}

/**
 * `/healthz`, `/readyz`, `/metrics` and the read-only Bull Board at `/admin/queues`. Every route
 * answers only to loopback or configured host names; with a token set, everything but `/healthz`
 * needs it. Error answers carry a code and a message; stacks go to the log only.
 */
export async function startHttp(options: HttpOptions): Promise<RunningHttp> {
  const app = express();
  app.disable('x-powered-by');
  app.use(hostGuard(options.host, options.allowedHosts ?? []));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const tokens = [options.token, options.metricsToken].filter((t): t is string => !!t);
  if (tokens.length > 0) app.use(['/readyz', '/metrics'], bearerGuard(tokens));
  app.get('/readyz', async (_req, res) => {
    const result = await options.ready();
    res.status(result.ok ? 200 : 503).json(result);
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', options.metrics.contentType);
    res.send(await options.metrics.metrics());
  });
  const board = new ExpressAdapter();
  board.setBasePath(BOARD);
  createBullBoard({
    queues: options.queues().map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'orchester' } },
  });
  // Bull Board's own handler adds the stack under NODE_ENV=development; the log keeps it instead.
  board.setErrorHandler((error: Error & { statusCode?: number }) => {
    options.logger.warn({ ...errorFields(error), stack: error.stack }, 'dashboard request failed');
    return {
      status: error.statusCode === 400 || error.statusCode === 404 ? error.statusCode : 500,
      body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, ...errorFields(error) },
    };
  });
  if (options.token) app.use(BOARD, boardGuard(options.token));
  app.use(BOARD, board.getRouter());
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = error as { status?: unknown; statusCode?: unknown; stack?: unknown };
    const status = Number(e?.status ?? e?.statusCode) || 500;
    options.logger.warn({ ...errorFields(error), stack: e?.stack }, 'HTTP request failed');
    res.status(status >= 400 && status < 600 ? status : 500).json({ error: errorFields(error) });
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port, options.host, (error?: Error) =>
      error ? reject(error) : resolve(s),
    );
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
