import {
  ConfigError,
  type ConnectorSetup,
  InvalidInputError,
  registerSecret,
  runLoopbackAuthorization,
  type SetupContext,
} from '@orchester/core';
import { SlackWebApi } from '../client.js';
import type { SlackMode } from '../config.js';
import { CHANNEL_SCOPES, READ_SCOPES, USER_SCOPES } from '../scopes.js';
import { readSetupOptions, type SetupOptions } from './options.js';

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
  const api = await SlackWebApi.open(context, undefined, 'client_id', options.mode);
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
 * `orchest generate slack`: Slack's OAuth v2 flow through the kit's callback server on
 * 127.0.0.1. `/begin_auth` sends the browser to Slack with a random `state`; `/finish_auth`
 * takes Slack's answer, exchanges the code once and saves the tokens (or prints them with
 * `--print`).
 */
async function runOAuthFlow(context: SetupContext): Promise<void> {
  const options = readSetupOptions(context);
  let saved = '';
  await runLoopbackAuthorization({
    service: 'Slack',
    instance: context.instance,
    port: options.port,
    portHint: 'pass --port N (and add that redirect URL to the Slack app)',
    startPath: '/begin_auth',
    callbackPath: '/finish_auth',
    timeoutMs: options.timeoutMs,
    signal: context.signal,
    clock: context.clock,
    logger: context.logger,
    authorizeUrl: ({ redirectUri, state }) =>
      authorizeUrl(context.baseUrl, options, redirectUri, state),
    announce: async ({ startUrl, redirectUri }) => {
      context.print(
        `Open ${startUrl} in a browser to connect Slack (redirect URL to register in the app: ${redirectUri}).`,
      );
      await context.openUrl(startUrl).catch(() => false);
    },
    exchange: async ({ code, redirectUri }) => {
      const tokens = await exchange(context, options, code, redirectUri);
      if (!tokens.bot && !tokens.user)
        throw new InvalidInputError('Slack answered without a token; check the app’s scopes');
      const values = valuesToSave(options.mode, tokens, context.rawConfig);
      if (options.print) {
        for (const [key, value] of Object.entries(values)) context.print(`${key}: ${value}`);
        saved = 'printed';
        return;
      }
      const path = await context.saveConfig(values);
      const keys = Object.keys(values).join(', ');
      context.print(`Saved ${keys} for "${context.instance}" (mode ${options.mode}) in ${path}.`);
      saved = path;
    },
    successText: () =>
      `orchester has the access it asked for (mode ${options.mode}). You can close this tab.${saved === 'printed' ? ' The terminal shows the tokens.' : ''}`,
  });
}

export const slackSetup: ConnectorSetup = {
  summary:
    'Connect a Slack app through OAuth v2 (callback server on 127.0.0.1, port 8888 by default)',
  run: runOAuthFlow,
};
