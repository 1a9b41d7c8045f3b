import { type Logger, registerSecret } from '@orchester/core';
import { type Credentials, JWT, OAuth2Client } from 'google-auth-library';
import { type TransportOptions, transporterOptions, transportInterceptor } from '../transport.js';
import type { DriveAuthPlan } from './credentials.js';
import { readTokenFile, type StoredToken, writeTokenFile } from './token-store.js';

/** Full Drive access: sharing needs it (drive.file cannot change ACLs of items it did not create). */
export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';

/** A signed-in Google auth client plus what orchester needs around it. */
export interface DriveAuth {
  readonly client: OAuth2Client;
  /** Marks the access token expired, so the next request fetches a new one (after a 401). */
  expireAccessToken(): void;
  /** Resolves when the refreshed token has been written back to `token_path`. */
  flush(): Promise<void>;
}

/** The auth endpoints of the emulator, when a base URL points there. */
export function oauthEndpoints(baseUrl: string | undefined) {
  if (!baseUrl) return undefined;
  const base = baseUrl.replace(/\/+$/, '');
  return { oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`, oauth2TokenUrl: `${base}/token` };
}

function withTransport<T extends OAuth2Client>(client: T, transport: TransportOptions): T {
  client.transporter.interceptors.request.add(transportInterceptor(transport));
  return client;
}

/** Builds the OAuth or service-account client for a plan; OAuth tokens are written back on refresh. */
export async function createDriveAuth(
  plan: DriveAuthPlan,
  transport: TransportOptions,
  logger: Logger,
): Promise<DriveAuth> {
  const transporter = transporterOptions(transport);
  const expire = (client: OAuth2Client) => () => {
    client.credentials = { ...client.credentials, expiry_date: 1 };
  };

  if (plan.kind === 'service-account') {
    const client = withTransport(
      new JWT({
        email: plan.clientEmail,
        key: plan.privateKey,
        ...(plan.privateKeyId ? { keyId: plan.privateKeyId } : {}),
        scopes: [DRIVE_SCOPE],
        ...(plan.subject ? { subject: plan.subject } : {}),
        transporterOptions: transporter,
      }),
      transport,
    );
    client.on('tokens', (t: Credentials) => registerSecret(t.access_token));
    return { client, expireAccessToken: expire(client), flush: async () => {} };
  }

  const endpoints = oauthEndpoints(transport.baseUrl);
  const client = withTransport(
    new OAuth2Client({
      clientId: plan.clientId,
      clientSecret: plan.clientSecret,
      transporterOptions: transporter,
      ...(endpoints ? { endpoints } : {}),
    }),
    transport,
  );

  if (plan.token.source === 'config') {
    client.setCredentials({ refresh_token: plan.token.refreshToken, expiry_date: 1 });
    client.on('tokens', (t: Credentials) => registerSecret(t.access_token));
    return { client, expireAccessToken: expire(client), flush: async () => {} };
  }

  const path = plan.token.path;
  const { token, othersCanRead } = await readTokenFile(path, transport.instance);
  if (othersCanRead) {
    logger.warn(
      { token_path: path },
      'the Google token file can be read by other users; run chmod 600 on it',
    );
  }
  let current: StoredToken = token;
  // A token without an expiry is treated as expired: refreshing once is cheaper than a 401.
  client.setCredentials({ ...token, expiry_date: token.expiry_date ?? 1 });
  let writing: Promise<void> = Promise.resolve();
  client.on('tokens', (t: Credentials) => {
    registerSecret(t.access_token);
    current = {
      ...current,
      ...(t.access_token ? { access_token: t.access_token } : {}),
      ...(typeof t.expiry_date === 'number' ? { expiry_date: t.expiry_date } : {}),
      ...(t.scope ? { scope: t.scope } : {}),
      ...(t.token_type ? { token_type: t.token_type } : {}),
      // Google sends a new refresh token only sometimes; keep the old one otherwise.
      refresh_token: t.refresh_token ?? current.refresh_token,
    };
    const snapshot = current;
    writing = writing
      .then(() => writeTokenFile(path, snapshot))
      .catch((error: unknown) => {
        logger.warn(
          { token_path: path, error: (error as Error).message },
          'could not write the refreshed Google token back',
        );
      });
  });
  return { client, expireAccessToken: expire(client), flush: () => writing };
}
