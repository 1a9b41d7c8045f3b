import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Clock } from '../../clock.js';
import {
  CancelledError,
  ConfigError,
  InvalidInputError,
  type OrchesterError,
  toOrchesterError,
} from '../../errors.js';
import type { Logger } from '../../logger.js';
import { answerFragmentPage, answerPage, answerText } from './pages.js';
import { createPkce, createState, type Pkce, sameState } from './pkce.js';

/** What the authorize URL is built from once the callback server listens. */
export interface AuthorizationRequest {
  /** `http://127.0.0.1:PORT/callback`: register it with the service's app. */
  readonly redirectUri: string;
  readonly state: string;
  /** Send `pkce.codeChallenge` with `code_challenge_method=S256` where the service takes PKCE. */
  readonly pkce: Pkce;
}

/** The browser's answer with the right state, handed to `exchange` exactly once. */
export interface AuthorizationAnswer {
  /** The value of `codeParam` (`code`, or Trello's `token`). */
  readonly code: string;
  /** Everything the answer carried. */
  readonly params: URLSearchParams;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

export interface LoopbackAuthorizationOptions<T> {
  /** The service's name for pages and messages: `Slack`. */
  readonly service: string;
  /** The instance being set up, for "run orchest generate NAME again". */
  readonly instance: string;
  /** The port on 127.0.0.1; 0 (the default) takes a free one. */
  readonly port?: number;
  /** Added to the error for a port in use: how to pick another. */
  readonly portHint?: string;
  /** The redirect path; `/callback` by default. */
  readonly callbackPath?: string;
  /** The path that redirects the browser to the authorize URL; `/start` by default. */
  readonly startPath?: string;
  /**
   * Where the service puts its answer: the query string (OAuth's code), or the URL fragment
   * (Trello's token), which a page served at the callback posts back.
   */
  readonly answerIn?: 'query' | 'fragment';
  /** The answer's parameter that carries the code; `code` by default. */
  readonly codeParam?: string;
  /** How long to wait for the browser. */
  readonly timeoutMs: number;
  /** Ends the wait (orchester interrupted): `CancelledError`. */
  readonly signal: AbortSignal;
  readonly clock: Pick<Clock, 'sleep'>;
  readonly logger: Logger;
  /** The service's consent page for this request. */
  authorizeUrl(request: AuthorizationRequest): string | URL;
  /** Tells the person where to go (print, open a browser); called once the server listens. */
  announce(urls: {
    readonly startUrl: string;
    readonly authorizeUrl: string;
    readonly redirectUri: string;
  }): void | Promise<void>;
  /** Turns the one accepted answer into credentials (and saves them); throws to fail the flow. */
  exchange(answer: AuthorizationAnswer): Promise<T>;
  /** The success page's text; "You can close this tab." by default. */
  successText?(result: T): string;
}

const MAX_BODY = 8192;

/**
 * Runs one browser authorization through a callback server on 127.0.0.1, and closes it:
 * a random `state` and a PKCE pair per run; an answer with a wrong or missing state is refused
 * (400) and logged while the flow waits on for its own; the first answer with the right state
 * is exchanged, exactly once (another one meanwhile gets 409); a declined consent, a failed
 * exchange, no answer within `timeoutMs` and an abort end the flow with an orchester error.
 */
export async function runLoopbackAuthorization<T>(
  options: LoopbackAuthorizationOptions<T>,
): Promise<T> {
  const { service } = options;
  const callbackPath = options.callbackPath ?? '/callback';
  const startPath = options.startPath ?? '/start';
  const codeParam = options.codeParam ?? 'code';
  const again = `run "orchest generate ${options.instance}" again`;
  const state = createState();
  const pkce = createPkce();
  let redirectUri = '';
  let authorizeUrl = '';
  let origin = '';

  let settle: { resolve(value: T): void; reject(error: OrchesterError): void } | undefined;
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined);
  // Waiting for an answer, one answer being exchanged, or finished.
  let phase: 'waiting' | 'claimed' | 'done' = 'waiting';
  const finish = (outcome: { value: T } | { error: unknown }) => {
    if (phase === 'done') return;
    phase = 'done';
    if ('value' in outcome) settle?.resolve(outcome.value);
    else settle?.reject(toOrchesterError(outcome.error));
  };

  type Reply = (status: number, title: string, text: string) => void;
  const onAnswer = async (params: URLSearchParams, reply: Reply): Promise<void> => {
    if (!sameState(state, params.get('state'))) {
      // A stale tab or a forged request: refused and logged; the person's own answer may follow.
      reply(
        400,
        'Not this set-up',
        'This answer did not carry the state the running set-up sent, so it was refused. The set-up goes on waiting for its own.',
      );
      options.logger.warn(
        { instance: options.instance },
        `refused a ${service} authorization answer with a wrong or missing state; still waiting`,
      );
      return;
    }
    if (phase !== 'waiting') {
      reply(
        409,
        'Already finishing',
        'Another answer is already finishing this set-up; this one was not used. You can close this tab.',
      );
      return;
    }
    phase = 'claimed';
    const error = params.get('error');
    const code = params.get(codeParam);
    if (error || !code) {
      reply(
        400,
        `${service} set-up stopped`,
        `${service} answered ${error ?? `no ${codeParam}`}. Nothing was saved.`,
      );
      finish({
        error: new InvalidInputError(
          error === 'access_denied'
            ? `${service} was not given access (access_denied); nothing was saved. ${capital(again)} and choose Allow`
            : `${service} answered ${error ?? `without a ${codeParam}`} instead of an authorization; nothing was saved. ${capital(again)}`,
        ),
      });
      return;
    }
    try {
      const value = await options.exchange({
        code,
        params,
        redirectUri,
        codeVerifier: pkce.codeVerifier,
      });
      reply(
        200,
        `${service} is connected`,
        options.successText?.(value) ??
          'orchester has the access it asked for. You can close this tab.',
      );
      finish({ value });
    } catch (failure) {
      reply(500, `${service} set-up failed`, 'orchester could not finish; the terminal says why.');
      finish({ error: failure });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && url.pathname === startPath) {
      res.writeHead(302, {
        location: authorizeUrl,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      });
      res.end();
      return;
    }
    if (url.pathname !== callbackPath) {
      answerText(res, 404, 'not found');
      return;
    }
    if (options.answerIn !== 'fragment' && req.method === 'GET') {
      await onAnswer(url.searchParams, (status, title, text) =>
        answerPage(res, status, title, text),
      );
      return;
    }
    if (options.answerIn === 'fragment' && req.method === 'GET') {
      answerFragmentPage(res);
      return;
    }
    if (options.answerIn === 'fragment' && req.method === 'POST') {
      // A JSON post from another origin needs a CORS preflight that is never granted; check anyway.
      const from = req.headers.origin;
      if (
        (from !== undefined && from !== origin) ||
        !/^application\/json\b/.test(req.headers['content-type'] ?? '')
      ) {
        answerText(res, 403, 'refused: not from the orchester page');
        return;
      }
      const params = await readJsonParams(req);
      if (!params) {
        answerText(res, 400, 'refused: not a JSON object');
        return;
      }
      await onAnswer(params, (status, _title, text) => answerText(res, status, text));
      return;
    }
    answerText(res, 405, 'method not allowed');
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => finish({ error }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(
              `port ${port} on 127.0.0.1 is in use${options.portHint ? `; ${options.portHint}` : ''}`,
            )
          : toOrchesterError(error),
      ),
    );
    // Loopback only: the code and the state must never be reachable from the network.
    server.listen(port, '127.0.0.1', () => resolve());
  });

  const stop = new AbortController();
  const onAbort = () =>
    finish({ error: new CancelledError(`the ${service} set-up was cancelled`) });
  try {
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    redirectUri = `${origin}${callbackPath}`;
    authorizeUrl = String(options.authorizeUrl({ redirectUri, state, pkce }));
    if (options.signal.aborted) onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    options.clock.sleep(options.timeoutMs, stop.signal).then(
      () =>
        finish({
          error: new InvalidInputError(
            `no answer from the browser within ${Math.round(options.timeoutMs / 100) / 10} s; nothing was saved. ${capital(again)} (--timeout SECONDS waits longer)`,
          ),
        }),
      () => {},
    );
    await options.announce({ startUrl: `${origin}${startPath}`, authorizeUrl, redirectUri });
    return await result;
  } finally {
    stop.abort();
    options.signal.removeEventListener('abort', onAbort);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Let the last page reach the browser, then drop idle keep-alive sockets.
      setTimeout(() => {
        for (const socket of sockets) socket.destroy();
      }, 50).unref();
    });
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

async function readJsonParams(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') params.set(key, value);
    }
    return params;
  } catch {
    return undefined;
  }
}
