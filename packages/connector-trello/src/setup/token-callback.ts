import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InvalidInputError } from '@orchester/core';
import { loopbackPage } from './loopback-page.js';

/** A callback server on 127.0.0.1 that receives one token from the loopback page. */
export interface TokenCallback {
  /** Opened in the browser: redirects to Trello's authorize page. */
  readonly startUrl: string;
  /** Given to Trello as `return_url`; carries the `state`. */
  readonly returnUrl: string;
  /** Resolves with the token; rejects when a post carries the wrong `state`. */
  readonly token: Promise<string>;
  close(): Promise<void>;
}

const TOKEN_SHAPE = /^[A-Za-z0-9]{20,256}$/;
const MAX_BODY = 4096;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function reply(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Starts the callback server. `authorizeUrlFor(returnUrl)` builds Trello's authorize URL once the
 * port is known. The first post with the right `state` wins; one with a wrong `state` ends the
 * flow with an error, since it means someone else's page is talking to this port.
 */
export async function startTokenCallback(options: {
  readonly state: string;
  authorizeUrlFor(returnUrl: string): string;
}): Promise<TokenCallback> {
  let settle: { resolve(token: string): void; reject(error: unknown): void } | undefined;
  const token = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A rejection nobody awaited yet must not crash the process.
  token.catch(() => undefined);
  let done = false;
  const sockets = new Set<Socket>();
  let origin = '';
  let authorize = '';

  const finish = (result: { token: string } | { error: unknown }) => {
    if (done) return;
    done = true;
    if ('token' in result) settle?.resolve(result.token);
    else settle?.reject(result.error);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && url.pathname === '/start') {
      res.writeHead(302, {
        location: authorize,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      res.end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/callback') {
      const page = loopbackPage();
      res.writeHead(200, page.headers);
      res.end(page.html);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      // A JSON post from another origin needs a CORS preflight we never grant; check anyway.
      const from = req.headers.origin;
      if (
        (from !== undefined && from !== origin) ||
        !/^application\/json\b/.test(req.headers['content-type'] ?? '')
      ) {
        reply(res, 403, 'refused: not from the orchester page');
        return;
      }
      readBody(req)
        .then((raw) => {
          let body: { state?: unknown; token?: unknown };
          try {
            body = JSON.parse(raw) as typeof body;
          } catch {
            reply(res, 400, 'refused: not JSON');
            return;
          }
          if (done) {
            reply(res, 409, 'refused: this orchester run already has its answer');
            return;
          }
          if (typeof body.state !== 'string' || !sameSecret(body.state, options.state)) {
            reply(res, 400, 'refused: state does not match this orchester run');
            finish({
              error: new InvalidInputError(
                'the token came back with a state that does not match this run, so it was refused (another page or program posted to the callback); run "orchest generate trello" again',
              ),
            });
            return;
          }
          if (typeof body.token !== 'string' || !TOKEN_SHAPE.test(body.token)) {
            reply(res, 400, 'refused: that is not a Trello token');
            finish({
              error: new InvalidInputError(
                'the browser posted something that is not a Trello token; run "orchest generate trello" again',
              ),
            });
            return;
          }
          reply(res, 200, 'ok');
          finish({ token: body.token });
        })
        .catch(() => reply(res, 400, 'refused: unreadable body'));
      return;
    }
    reply(res, 404, 'not found');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  const returnUrl = `${origin}/callback?state=${options.state}`;
  authorize = options.authorizeUrlFor(returnUrl);
  return {
    startUrl: `${origin}/start`,
    returnUrl,
    token,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
