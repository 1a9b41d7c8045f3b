import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, registerSecret } from '@orchester/core';
import type { GdriveConfig } from '../config.js';

/** How an instance signs in, read from config and the files it names. */
export type DriveAuthPlan =
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      /** The stored token file, written back on refresh; or a refresh token given in config. */
      readonly token:
        | { readonly source: 'file'; readonly path: string }
        | { readonly source: 'config'; readonly refreshToken: string };
    }
  | {
      readonly kind: 'service-account';
      readonly clientEmail: string;
      readonly privateKey: string;
      readonly privateKeyId: string | undefined;
      readonly subject: string | undefined;
    };

export function resolvePath(configDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(configDir, path);
}

export async function readJson(
  key: string,
  path: string,
  hint: string,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${key}: cannot read ${path} (${(error as { code?: string }).code ?? 'error'}); ${hint}`,
    );
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new ConfigError(`${key}: ${path} is not a JSON object; ${hint}`);
}

const CLIENT_HINT =
  'download the OAuth client (type "Desktop app") JSON from Google Cloud Console > APIs & Services > Credentials';
const SERVICE_ACCOUNT_HINT =
  'download a JSON key from Google Cloud Console > IAM & Admin > Service Accounts > Keys';

/** The OAuth client in a Google Cloud Console file: `installed` (desktop) or `web`. */
export function oauthClientOf(
  file: Record<string, unknown>,
  key: string,
  path: string,
): { clientId: string; clientSecret: string } | undefined {
  const block = (file.installed ?? file.web) as Record<string, unknown> | undefined;
  if (!block) return undefined;
  if (typeof block.client_id !== 'string' || typeof block.client_secret !== 'string') {
    throw new ConfigError(`${key}: ${path} has no client_id/client_secret; ${CLIENT_HINT}`);
  }
  registerSecret(block.client_secret);
  return { clientId: block.client_id, clientSecret: block.client_secret };
}

function serviceAccountOf(
  file: Record<string, unknown>,
  key: string,
  path: string,
  subject: string | undefined,
): DriveAuthPlan {
  if (typeof file.client_email !== 'string' || typeof file.private_key !== 'string') {
    throw new ConfigError(
      `${key}: ${path} is not a service account key (client_email and private_key missing); ${SERVICE_ACCOUNT_HINT}`,
    );
  }
  registerSecret(file.private_key);
  return {
    kind: 'service-account',
    clientEmail: file.client_email,
    privateKey: file.private_key,
    privateKeyId: typeof file.private_key_id === 'string' ? file.private_key_id : undefined,
    subject,
  };
}

/**
 * Reads the credential files named in config. A `credential_path` holding a service-account key
 * (`"type": "service_account"`) is accepted as one, as Google's own libraries do.
 */
export async function planAuth(config: GdriveConfig, configDir: string): Promise<DriveAuthPlan> {
  if (config.service_account_path) {
    const path = resolvePath(configDir, config.service_account_path);
    const file = await readJson('service_account_path', path, SERVICE_ACCOUNT_HINT);
    return serviceAccountOf(file, 'service_account_path', path, config.subject);
  }
  let client: { clientId: string; clientSecret: string };
  if (config.credential_path) {
    const path = resolvePath(configDir, config.credential_path);
    const file = await readJson('credential_path', path, CLIENT_HINT);
    if (file.type === 'service_account') {
      if (config.token_path || config.refresh_token) {
        throw new ConfigError(
          `credential_path: ${path} is a service account key, which needs no token_path or refresh_token; remove them`,
        );
      }
      return serviceAccountOf(file, 'credential_path', path, config.subject);
    }
    const found = oauthClientOf(file, 'credential_path', path);
    if (!found) {
      throw new ConfigError(
        `credential_path: ${path} is neither an OAuth client file ("installed" or "web") nor a service account key; ${CLIENT_HINT}`,
      );
    }
    client = found;
  } else {
    client = { clientId: config.client_id ?? '', clientSecret: config.client_secret ?? '' };
  }
  if (config.subject) {
    throw new ConfigError(
      'subject: domain-wide delegation needs a service account (service_account_path); remove subject for OAuth',
    );
  }
  if (config.refresh_token)
    return {
      kind: 'oauth',
      ...client,
      token: { source: 'config', refreshToken: config.refresh_token },
    };
  if (!config.token_path) {
    throw new ConfigError(
      'token_path: an OAuth client needs a stored token; set token_path (e.g. "gdrive-token.json") and run "orchest generate"',
    );
  }
  return {
    kind: 'oauth',
    ...client,
    token: { source: 'file', path: resolvePath(configDir, config.token_path) },
  };
}
