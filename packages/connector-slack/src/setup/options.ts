import { ConfigError, InvalidInputError, type SetupContext, setupString } from '@orchester/core';
import { modeOf, SLACK_MODES, type SlackMode } from '../config.js';

export const DEFAULT_OAUTH_PORT = 8888;
const DEFAULT_TIMEOUT_S = 300;

/** What `orchest generate slack` was asked to do. */
export interface SetupOptions {
  readonly mode: SlackMode;
  readonly port: number;
  readonly print: boolean;
  readonly timeoutMs: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly withChannels: boolean;
}

const USAGE =
  'usage: orchest generate slack [--port N] [--mode admin|scim|legacy] [--timeout SECONDS] [--print]';

function numberArg(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < min || n > max) {
    throw new InvalidInputError(`${flag} needs a number from ${min} to ${max}; ${USAGE}`);
  }
  return n;
}

/** Reads argv and the instance's block; missing app credentials are a ConfigError naming the key. */
export function readSetupOptions(context: SetupContext): SetupOptions {
  const raw = context.rawConfig;
  let mode: SlackMode | undefined;
  let port: number | undefined;
  let timeoutS = DEFAULT_TIMEOUT_S;
  let print = false;
  const argv = [...context.argv];
  while (argv.length > 0) {
    const arg = argv.shift() ?? '';
    const [flag, inline] = arg.includes('=')
      ? (arg.split('=', 2) as [string, string])
      : [arg, undefined];
    const value = () => inline ?? argv.shift();
    if (flag === '--print') print = true;
    else if (flag === '--port') port = numberArg('--port', value(), 0, 65535);
    else if (flag === '--timeout') timeoutS = numberArg('--timeout', value(), 0.01, 3600);
    else if (flag === '--mode') {
      const m = value();
      if (!SLACK_MODES.includes(m as SlackMode))
        throw new InvalidInputError(`--mode must be one of ${SLACK_MODES.join(', ')}; ${USAGE}`);
      mode = m as SlackMode;
    } else throw new InvalidInputError(`unknown argument "${arg}"; ${USAGE}`);
  }
  const clientId = setupString(context, 'client_id');
  const clientSecret = setupString(context, 'client_secret');
  const where = `connectors.${context.instance}`;
  if (!clientId) {
    throw new ConfigError(
      `${where}.client_id is missing: create a Slack app at https://api.slack.com/apps and copy "Client ID" from Basic Information into "client_id"`,
    );
  }
  if (!clientSecret) {
    throw new ConfigError(
      `${where}.client_secret is missing: copy "Client Secret" from the Slack app's Basic Information into "client_secret" (or { "env": "NAME" })`,
    );
  }
  const configPort = typeof raw.oauth_port === 'number' ? raw.oauth_port : undefined;
  return {
    mode:
      mode ??
      modeOf({
        mode: SLACK_MODES.includes(raw.mode as SlackMode) ? (raw.mode as SlackMode) : undefined,
        team_id: typeof raw.team_id === 'string' ? raw.team_id : undefined,
        legacy_token: raw.legacy_token,
      }),
    port: port ?? configPort ?? DEFAULT_OAUTH_PORT,
    print,
    timeoutMs: timeoutS * 1000,
    clientId,
    clientSecret,
    withChannels: Array.isArray(raw.channels) && raw.channels.length > 0,
  };
}
