import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const BOARD = '/admin/queues';
const COOKIE = 'orchester_board';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The host part of a `Host:` header, lower-case, without port or IPv6 brackets. */
export function hostNameOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

const LOOPBACK_V4 =
  /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;

/** Loopback names a browser cannot be made to send for a page of someone else's. */
function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host === '::1' || LOOPBACK_V4.test(host);
}

/**
 * Answers only requests addressed to this server by a name an attacker's page cannot carry:
 * loopback names, the address the connection arrived on, the configured bind host and
 * `worker.http.allowed_hosts`. A DNS-rebinding page (`evil.example` resolving to 127.0.0.1)
 * sends its own name in `Host:` and is refused with 421 before any route runs.
 */
export function hostGuard(bindHost: string, allowed: readonly string[]) {
  const bound = bindHost.toLowerCase().replace(/^\[|\]$/g, '');
  // A wildcard bind is no name: `Host: 0.0.0.0` comes from pages that aim at "any local port".
  const names = new Set([...allowed, ...(bound === '0.0.0.0' || bound === '::' ? [] : [bound])]);
  return (req: Request, res: Response, next: NextFunction) => {
    const host = hostNameOf(req.headers.host ?? '');
    const local = (req.socket.localAddress ?? '').toLowerCase().replace(/^::ffff:/, '');
    if (host !== '' && (isLoopbackName(host) || host === local || names.has(host))) return next();
    res
      .status(421)
      .type('text/plain')
      .send(
        'this worker does not answer to that Host name: use 127.0.0.1 or localhost, or add the name to worker.http.allowed_hosts\n',
      );
  };
}

/** Requires `Authorization: Bearer` with one of `tokens` (for `/metrics` and `/readyz`). */
export function bearerGuard(tokens: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (given !== undefined && tokens.some((t) => sameSecret(given, t))) return next();
    res
      .status(401)
      .setHeader('WWW-Authenticate', 'Bearer realm="orchester-worker"')
      .type('text/plain')
      .send('token required: send Authorization: Bearer <worker.http.token or metrics_token>\n');
  };
}

/**
 * Guards the dashboard: `Authorization: Bearer TOKEN`, or `?token=TOKEN` once, which sets an
 * HttpOnly cookie holding an HMAC of the token (not the token) and redirects to a clean URL so
 * the token does not stay in the address bar or in request logs.
 */
export function boardGuard(token: string) {
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
