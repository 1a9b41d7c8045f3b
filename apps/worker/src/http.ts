import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  /** The dashboard's token; without one the dashboard is served only on loopback (checked by settings). */
  readonly token: string | undefined;
  readonly metrics: Registry;
  queues(): Queue[];
  /** Redis answers and every connector loaded. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
}

export interface RunningHttp {
  readonly url: string;
  close(): Promise<void>;
}

const BOARD = '/admin/queues';
const COOKIE = 'orchester_board';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Guards the dashboard: `Authorization: Bearer TOKEN`, or `?token=TOKEN` once, which sets an
 * HttpOnly cookie holding an HMAC of the token (not the token) and redirects to a clean URL so
 * the token does not stay in the address bar or in request logs.
 */
function boardGuard(token: string) {
  const cookieValue = createHmac('sha256', token).update('orchester-board').digest('hex');
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ') && sameSecret(header.slice(7), token)) return next();
    const cookies = Object.fromEntries(
      (req.headers.cookie ?? '').split(';').map((c) => {
        const [k, ...v] = c.trim().split('=');
        return [k, v.join('=')];
      }),
    );
    if (typeof cookies[COOKIE] === 'string' && sameSecret(cookies[COOKIE], cookieValue))
      return next();
    const given = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (given && sameSecret(given, token)) {
      res.setHeader(
        'Set-Cookie',
        `${COOKIE}=${cookieValue}; HttpOnly; SameSite=Strict; Path=${BOARD}`,
      );
      return res.redirect(302, BOARD);
    }
    res
      .status(401)
      .type('text/plain')
      .send(
        'dashboard token required: open /admin/queues?token=... or send Authorization: Bearer ...\n',
      );
  };
}

/** `/healthz`, `/readyz`, `/metrics` and the read-only Bull Board at `/admin/queues`. */
export async function startHttp(options: HttpOptions): Promise<RunningHttp> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
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
  if (options.token) app.use(BOARD, boardGuard(options.token));
  app.use(BOARD, board.getRouter());

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
