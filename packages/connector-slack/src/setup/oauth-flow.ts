import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  CancelledError,
  ConfigError,
  type ConnectorSetup,
  InvalidInputError,
  type OrchesterError,
  registerSecret,
  type SetupContext,
  toOrchesterError,
} from '@orchester/core';
import type { SlackMode } from '../config.js';
import { CHANNEL_SCOPES, READ_SCOPES, USER_SCOPES } from '../scopes.js';
import { SlackWebApi } from '../web-api.js';
import { readSetupOptions, type SetupOptions } from './options.js';
import { page } from './pages.js';

/** The URL the browser is sent to: Slack's (or the sandbox's) OAuth v2 consent screen. */
export function authorizeUrl(
  baseUrl: string | undefined,
  options: SetupOptions,
  redirectUri: string,
  state: string,
): URL {
  const url = new URL('/oauth/v2/authorize', baseUrl ?? 'https://slack.com');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set(
    'scope',
    [...READ_SCOPES, ...(options.withChannels ? CHANNEL_SCOPES : [])].join(','),
  );
  const userScopes = USER_SCOPES[options.mode];
  if (userScopes.length > 0) url.searchParams.set('user_scope', userScopes.join(','));
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('state', state);
  return url;
}

function sameState(expected: string, got: string | null): boolean {
  if (!got) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b);
}

interface Tokens {
  readonly bot?: string;
  readonly user?: string;
  readonly team?: string;
}

/** Exchanges the code; app-credential mistakes become ConfigErrors that name the key. */
async function exchange(
  context: SetupContext,
  options: SetupOptions,
  code: string,
  redirectUri: string,
): Promise<Tokens> {
  const api = await SlackWebApi.open(
    { ...context, recordCall: () => {} },
    undefined,
    'client_id',
    options.mode,
  );
  const answer = await api.call(
    'oauth.v2.access',
    {
      client_id: options.clientId,
      client_secret: options.clientSecret,
      code,
      redirect_uri: redirectUri,
    },
    [
      'invalid_client_id',
      'bad_client_secret',
      'bad_redirect_uri',
      'invalid_code',
      'code_already_used',
      'invalid_grant_type',
    ],
  );
  const where = `connectors.${context.instance}`;
  switch (answer.error) {
    case undefined:
      break;
    case 'invalid_client_id':
      throw new ConfigError(
        `Slack does not know ${where}.client_id; copy "Client ID" from the app's Basic Information`,
      );
    case 'bad_client_secret':
      throw new ConfigError(
        `Slack refused ${where}.client_secret; copy "Client Secret" from the app's Basic Information`,
      );
    case 'bad_redirect_uri':
      throw new ConfigError(
        `Slack refused the redirect URL ${redirectUri}; add it under "OAuth & Permissions → Redirect URLs" of the app`,
      );
    default:
      throw new InvalidInputError(
        `Slack refused the authorization code (${String(answer.error)}); run orchest generate again`,
      );
  }
  const bot = typeof answer.access_token === 'string' ? answer.access_token : undefined;
  const authed = answer.authed_user as { access_token?: unknown } | undefined;
  const user = typeof authed?.access_token === 'string' ? authed.access_token : undefined;
  registerSecret(bot);
  registerSecret(user);
  const team = (answer.team as { id?: unknown } | null | undefined)?.id;
  return {
    ...(bot ? { bot } : {}),
    ...(user ? { user } : {}),
    ...(typeof team === 'string' ? { team } : {}),
  };
}

/** Config keys for the tokens of one mode: the bot token reads, the user token writes. */
function valuesToSave(
  mode: SlackMode,
  tokens: Tokens,
  rawConfig: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  if (tokens.bot) values.token = tokens.bot;
  if (tokens.user && mode !== 'legacy') values.admin_token = tokens.user;
  if (rawConfig.mode !== mode) values.mode = mode;
  if (mode === 'admin' && tokens.team && rawConfig.team_id === undefined)
    values.team_id = tokens.team;
  return values;
}

/**
 * `orchest generate slack`: Slack's OAuth v2 flow through a callback server on 127.0.0.1.
 * `/begin_auth` sends the browser to Slack with a random `state`; `/finish_auth` checks it,
 * exchanges the code and saves the tokens (or prints them with `--print`).
 */
async function runOAuthFlow(context: SetupContext): Promise<void> {
  const options = readSetupOptions(context);
  const state = randomBytes(24).toString('base64url');
  const sockets = new Set<Socket>();
  const stop = new AbortController();
  let redirectUri = '';
  let settle: { resolve: () => void; reject: (e: OrchesterError) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });

  const answer = (res: ServerResponse, status: number, title: string, text: string) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'close',
    });
    res.end(page(title, text));
  };

  // The one answer allowed to finish the flow: a second one with the right state (a reload, a
  // second tab) must not exchange its code too.
  let claimed = false;
  /** Answers the browser; true when this answer ended the flow (successfully or not). */
  const finish = async (url: URL, res: ServerResponse): Promise<boolean> => {
    const error = url.searchParams.get('error');
    if (!sameState(state, url.searchParams.get('state'))) {
      // A stale tab or a forged request: refused and logged, and the flow waits on for the
      // operator's own answer.
      answer(
        res,
        400,
        'Not this set-up',
        'This answer did not carry the state the running set-up sent, so it was refused. The set-up goes on waiting for its own.',
      );
      context.logger.warn(
        { instance: context.instance },
        'refused an OAuth answer with a wrong or missing state; still waiting',
      );
      return false;
    }
    if (claimed) {
      answer(
        res,
        409,
        'Already finishing',
        'Another answer is already finishing this set-up; this one was not used. You can close this tab.',
      );
      return false;
    }
    claimed = true;
    if (error) {
      answer(res, 400, 'Slack set-up stopped', `Slack answered ${error}. Nothing was saved.`);
      throw new InvalidInputError(
        error === 'access_denied'
          ? 'the Slack app was not allowed (access_denied); nothing was saved. Run orchest generate again and choose Allow'
          : `Slack answered ${error}; nothing was saved`,
      );
    }
    const code = url.searchParams.get('code');
    if (!code) {
      answer(
        res,
        400,
        'Slack set-up stopped',
        'The answer carried no code. Run orchest generate again.',
      );
      throw new InvalidInputError('the OAuth answer carried no code; run orchest generate again');
    }
    let saved: string;
    try {
      const tokens = await exchange(context, options, code, redirectUri);
      if (!tokens.bot && !tokens.user)
        throw new InvalidInputError('Slack answered without a token; check the app’s scopes');
      const values = valuesToSave(options.mode, tokens, context.rawConfig);
      if (options.print) {
        for (const [key, value] of Object.entries(values)) context.print(`${key}: ${value}`);
        saved = 'printed';
      } else {
        const path = await context.saveConfig(values);
        const keys = Object.keys(values).join(', ');
        context.print(`Saved ${keys} for "${context.instance}" (mode ${options.mode}) in ${path}.`);
        saved = path;
      }
    } catch (failure) {
      answer(res, 500, 'Slack set-up failed', 'orchester could not finish; the terminal says why.');
      throw failure;
    }
    answer(
      res,
      200,
      'Slack is connected',
      `orchester has the access it asked for (mode ${options.mode}). You can close this tab.${saved === 'printed' ? ' The terminal shows the tokens.' : ''}`,
    );
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/begin_auth') {
      res.writeHead(302, {
        location: authorizeUrl(context.baseUrl, options, redirectUri, state).toString(),
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/finish_auth') {
      try {
        if (await finish(url, res)) settle?.resolve();
      } catch (error) {
        settle?.reject(toOrchesterError(error));
      }
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => settle?.reject(toOrchesterError(error)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(
              `port ${options.port} on 127.0.0.1 is in use; pass --port N (and add that redirect URL to the Slack app)`,
            )
          : toOrchesterError(error),
      ),
    );
    // Loopback only: the code and state must never be reachable from the network.
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  redirectUri = `http://127.0.0.1:${port}/finish_auth`;

  const onAbort = () => settle?.reject(new CancelledError('orchest generate was cancelled'));
  context.signal.addEventListener('abort', onAbort, { once: true });
  context.clock.sleep(options.timeoutMs, stop.signal).then(
    () =>
      settle?.reject(
        new InvalidInputError(
          `no answer from the browser within ${Math.round(options.timeoutMs / 1000)} s; run orchest generate again (--timeout SECONDS waits longer)`,
        ),
      ),
    () => {},
  );

  const begin = `http://127.0.0.1:${port}/begin_auth`;
  context.print(
    `Open ${begin} in a browser to connect Slack (redirect URL to register in the app: ${redirectUri}).`,
  );
  await context.openUrl(begin).catch(() => false);
  try {
    await done;
  } finally {
    stop.abort();
    context.signal.removeEventListener('abort', onAbort);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Let the last page reach the browser, then drop idle keep-alive sockets.
      setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, 50).unref();
    });
  }
}

export const slackSetup: ConnectorSetup = {
  summary:
    'Connect a Slack app through OAuth v2 (callback server on 127.0.0.1, port 8888 by default)',
  run: runOAuthFlow,
};
