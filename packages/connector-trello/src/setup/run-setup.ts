import {
  ConfigError,
  type ConnectorSetup,
  InvalidInputError,
  runLoopbackAuthorization,
  type SetupContext,
} from '@orchester/core';
import { TRELLO_API, TrelloClient } from '../client.js';
import { authorizeUrl, TRELLO_AUTHORIZE_ORIGIN } from './authorize-url.js';
import { parseSetupArgs, type SetupArgs } from './setup-args.js';

const TOKEN_SHAPE = /^[A-Za-z0-9]{20,256}$/;

/** The API key from the instance block (`{ "env": NAME }` resolved by orchester). */
function apiKeyOf(context: SetupContext): string {
  const where = { file: context.configPath ?? 'config', path: `connectors.${context.instance}` };
  const key = context.config.api_key;
  if (typeof key !== 'string' || key.trim() === '') {
    throw new ConfigError(
      `${where.file}: ${where.path}.api_key: required before a token can be made; copy the API key of your Power-Up from https://trello.com/power-ups/admin into it (or {"env": "TRELLO_API_KEY"})`,
    );
  }
  return key.trim();
}

async function readPastedToken(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.includes('\n') || text.length > 4096) break;
  }
  const token = (text.split('\n')[0] ?? '').trim();
  if (token === '')
    throw new InvalidInputError(
      '--token-stdin: no token on stdin; paste the token Trello showed you, then Enter',
    );
  if (!TOKEN_SHAPE.test(token)) {
    throw new InvalidInputError(
      '--token-stdin: that is not a Trello token (letters and digits, usually 64 or 76 characters)',
    );
  }
  return token;
}

/**
 * The browser flow on the kit's loopback authorization: Trello sends the token in the URL
 * fragment, which the page served at `/callback` posts back with the `state`.
 */
function tokenFromBrowser(context: SetupContext, apiKey: string, args: SetupArgs): Promise<string> {
  return runLoopbackAuthorization({
    service: 'Trello',
    instance: context.instance,
    answerIn: 'fragment',
    codeParam: 'token',
    timeoutMs: args.waitMs,
    signal: context.signal,
    clock: context.clock,
    logger: context.logger,
    authorizeUrl: ({ redirectUri, state }) =>
      authorizeUrl({
        origin: context.baseUrl ?? TRELLO_AUTHORIZE_ORIGIN,
        apiKey,
        appName: args.appName,
        expiration: args.expiration,
        returnUrl: `${redirectUri}?state=${state}`,
      }),
    announce: async ({ startUrl }) => {
      const opened = args.open ? await context.openUrl(startUrl) : false;
      context.print(
        opened
          ? `Your browser is open at Trello's authorize page; approve orchester there. (If nothing opened: ${startUrl})`
          : `Open ${startUrl} in a browser on this machine and approve orchester on Trello.`,
      );
      context.print(`Waiting up to ${args.waitMs / 1000} s… (no browser here? use --token-stdin)`);
    },
    exchange: async ({ code }) => {
      if (!TOKEN_SHAPE.test(code)) {
        throw new InvalidInputError(
          `the browser posted something that is not a Trello token; run "orchest generate ${context.instance}" again`,
        );
      }
      return code;
    },
    successText: () => 'Done: orchester has the token. You can close this tab.',
  });
}

/** `GET /1/members/me`: proves the key and token work together, and says whose token it is. */
async function verifyToken(
  context: SetupContext,
  apiKey: string,
  token: string,
): Promise<{ username: string }> {
  const client = new TrelloClient({
    baseUrl: context.baseUrl ?? TRELLO_API,
    apiKey,
    token,
    timeoutMs: 15_000,
    http: context.http,
  });
  return client.request<{ username: string }>({
    method: 'GET',
    route: '/1/members/{id}',
    params: { id: 'me' },
    query: { fields: 'username,fullName' },
    subject: 'other',
    name: 'me',
  });
}

/** Runs `orchest generate trello`. */
export async function runTrelloSetup(context: SetupContext): Promise<void> {
  const args = parseSetupArgs(context.argv);
  const apiKey = apiKeyOf(context);
  let token: string;
  if (args.tokenStdin) {
    context.print(
      `Paste a token, then Enter. To make one, open ${TRELLO_AUTHORIZE_ORIGIN}/1/authorize?expiration=${args.expiration}&scope=read,write&response_type=token&name=${encodeURIComponent(args.appName)}&key=<your api_key> and approve.`,
    );
    token = await readPastedToken(context.stdin);
  } else {
    token = await tokenFromBrowser(context, apiKey, args);
  }
  const me = await verifyToken(context, apiKey, token);
  if (args.print) {
    // --print exists to hand the token over (to a secret store or an env file), so it is the one line that holds it.
    context.print(
      `Token for @${me.username} (expiration ${args.expiration}); store it and reference it as {"env": "TRELLO_TOKEN"}:`,
    );
    context.print(`TRELLO_TOKEN=${token}`);
    return;
  }
  const path = await context.saveConfig({ token });
  context.print(
    `Saved the token of @${me.username} (expiration ${args.expiration}) to ${path} (connectors.${context.instance}.token).`,
  );
}

export const trelloSetup: ConnectorSetup = {
  summary: 'authorize orchester on Trello in the browser (or paste a token) and store the token',
  run: runTrelloSetup,
};
