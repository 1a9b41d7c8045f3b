import {
  AuthenticationError,
  ConfigError,
  InvalidInputError,
  registerSecret,
  runLoopbackAuthorization,
  type SetupContext,
} from '@orchester/core';
import { CodeChallengeMethod, type Credentials, OAuth2Client } from 'google-auth-library';
import { oauthClientOf, readJson, resolvePath } from '../auth/credentials.js';
import { DRIVE_SCOPE, oauthEndpoints } from '../auth/google-auth.js';
import { writeTokenFile } from '../auth/token-store.js';
import { mapDriveError } from '../errors.js';
import { transporterOptions, transportInterceptor } from '../transport.js';

/** How long the flow waits for the browser, unless `--timeout SECONDS` says otherwise. */
export const DEFAULT_CONSENT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_TOKEN_PATH = 'gdrive-token.json';
const CALLBACK_PATH = '/oauth2callback';

function timeoutFrom(argv: readonly string[]): number {
  const at = argv.findIndex((a) => a === '--timeout' || a.startsWith('--timeout='));
  if (at < 0) return DEFAULT_CONSENT_TIMEOUT_MS;
  const raw = argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidInputError(
      `--timeout expects seconds to wait for the browser, e.g. --timeout 300 (got "${raw ?? ''}")`,
    );
  }
  return seconds * 1000;
}

/** The OAuth client to sign in with: from `credential_path`, or `client_id` + `client_secret`. */
async function clientFor(block: Record<string, unknown>, configDir: string, instance: string) {
  if (typeof block.credential_path === 'string') {
    const path = resolvePath(configDir, block.credential_path);
    const file = await readJson(
      'credential_path',
      path,
      'download the OAuth client (Desktop app) JSON from Google Cloud Console',
    );
    if (file.type === 'service_account') return 'service-account' as const;
    const client = oauthClientOf(file, 'credential_path', path);
    if (!client)
      throw new ConfigError(`credential_path: ${path} holds no "installed" or "web" OAuth client`);
    return client;
  }
  if (typeof block.client_id === 'string' && typeof block.client_secret === 'string') {
    return { clientId: block.client_id, clientSecret: block.client_secret };
  }
  throw new ConfigError(
    `connectors.${instance}: set credential_path to the OAuth client file from Google Cloud Console (APIs & Services > Credentials > Create OAuth client ID > Desktop app), then run "orchest generate ${instance}" again`,
  );
}

/**
 * `orchest generate gdrive`: the loopback flow for an installed app. A one-shot server on
 * 127.0.0.1 receives Google's answer; PKCE and a random `state` guard the exchange; the token
 * (with its refresh token) is written to `token_path`, owner-only.
 */
export async function runLoopbackFlow(context: SetupContext): Promise<void> {
  const { instance, configDir } = context;
  // `{ env }` values are resolved (and registered as secrets) by orchester.
  const block = context.config;
  if (typeof block.service_account_path === 'string') {
    context.print(
      `${instance} signs in with a service account key file: there is nothing to generate.`,
    );
    return;
  }
  const client = await clientFor(block, configDir, instance);
  if (client === 'service-account') {
    context.print(
      `${instance}'s credential_path is a service account key: there is nothing to generate.`,
    );
    return;
  }
  if (block.refresh_token !== undefined) {
    throw new ConfigError(
      `connectors.${instance}.refresh_token is set, so there is nothing to sign in for; remove it (and run this again) to store a token at token_path instead`,
    );
  }
  const timeoutMs = timeoutFrom(context.argv);
  const tokenSetting = typeof block.token_path === 'string' ? block.token_path : DEFAULT_TOKEN_PATH;

  const transport = {
    instance,
    baseUrl: context.baseUrl,
    timeoutMs: 30_000,
    http: context.http,
  };
  const endpoints = oauthEndpoints(context.baseUrl);
  const oauth = new OAuth2Client({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    transporterOptions: transporterOptions(transport),
    ...(endpoints ? { endpoints } : {}),
  });
  oauth.transporter.interceptors.request.add(transportInterceptor(transport));
  await runLoopbackAuthorization({
    service: 'Google',
    instance,
    callbackPath: CALLBACK_PATH,
    timeoutMs,
    signal: context.signal,
    clock: context.clock,
    logger: context.logger,
    authorizeUrl: ({ redirectUri, state, pkce }) =>
      oauth.generateAuthUrl({
        access_type: 'offline',
        prompt: 'consent',
        scope: [DRIVE_SCOPE],
        state,
        redirect_uri: redirectUri,
        code_challenge_method: CodeChallengeMethod.S256,
        code_challenge: pkce.codeChallenge,
      }),
    announce: ({ authorizeUrl, redirectUri }) => {
      context.print('Open this address in a browser and allow access to Google Drive:');
      context.print(authorizeUrl);
      context.print(`Waiting for Google's answer on ${redirectUri} ...`);
      void context.openUrl(authorizeUrl).catch(() => false);
    },
    exchange: ({ code, codeVerifier, redirectUri }) =>
      saveTokens(context, oauth, { code, codeVerifier, redirectUri }, block, tokenSetting),
    successText: () => 'orchester may now manage sharing in Google Drive. You can close this tab.',
  });
}

/** Exchanges the code (with its PKCE verifier) and writes the token file, owner-only. */
async function saveTokens(
  context: SetupContext,
  oauth: OAuth2Client,
  answer: { code: string; codeVerifier: string; redirectUri: string },
  block: Readonly<Record<string, unknown>>,
  tokenSetting: string,
): Promise<void> {
  const { instance, configDir } = context;
  const tokenPath = resolvePath(configDir, tokenSetting);
  let tokens: Credentials;
  try {
    ({ tokens } = await oauth.getToken({
      code: answer.code,
      codeVerifier: answer.codeVerifier,
      redirect_uri: answer.redirectUri,
    }));
  } catch (error) {
    throw mapDriveError(error, {
      fileId: String(block.file_id ?? ''),
      instance,
      tokenEndpoint: true,
    });
  }
  if (!tokens.refresh_token) {
    throw new AuthenticationError(
      'Google sent no refresh token, so orchester could not renew access later; remove orchester under myaccount.google.com > Security > Third-party access, then run this again',
    );
  }
  registerSecret(tokens.refresh_token);
  registerSecret(tokens.access_token);
  await writeTokenFile(tokenPath, {
    refresh_token: tokens.refresh_token,
    ...(tokens.access_token ? { access_token: tokens.access_token } : {}),
    ...(typeof tokens.expiry_date === 'number' ? { expiry_date: tokens.expiry_date } : {}),
    ...(tokens.scope ? { scope: tokens.scope } : {}),
    ...(tokens.token_type ? { token_type: tokens.token_type } : {}),
  });
  if (typeof block.token_path !== 'string') await context.saveConfig({ token_path: tokenSetting });
  context.print(`Signed in. The token is saved at ${tokenPath}, readable by you only.`);
}
