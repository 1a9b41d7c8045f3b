import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Octokit } from '@octokit/core';
import type { PaginateInterface } from '@octokit/plugin-paginate-rest';
import {
  ConfigError,
  type Logger,
  redact,
  registerSecret,
  type ServiceHttp,
} from '@orchester/core';
import { DEFAULT_TIMEOUT_MS, type GitHubConfig } from './config.js';
import { GITHUB_ROUTES } from './routes.js';

/** Octokit core with the paginate plugin: all the connector needs. */
export type GitHubClient = Octokit & { paginate: PaginateInterface };

export interface GitHubClientOptions {
  readonly auth:
    | { readonly token: string }
    | {
        readonly appId: string | number;
        readonly privateKey: string;
        readonly installationId: string | number;
      };
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  /** The kit's HTTP helper from the context: timeout, abort, route templates, no-answer errors. */
  readonly http: ServiceHttp;
  readonly logger: Logger;
}

/** Reads the App's private key named in config, relative to the config file's folder. */
export async function readPrivateKey(config: GitHubConfig, configDir: string): Promise<string> {
  const path = config.app?.private_key_path ?? '';
  const file = isAbsolute(path) ? path : resolve(configDir, path);
  try {
    const key = await readFile(file, 'utf8');
    registerSecret(key.trim());
    return key;
  } catch (error) {
    throw new ConfigError(
      `app.private_key_path: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); give the path of the App's .pem private key, relative to the config file`,
    );
  }
}

/**
 * Builds the octokit client. Octokit is imported here, lazily, so that loading the connector
 * (for `orchest --help`, `orchest connectors`) never loads the SDK. No retry or throttling
 * plugin: retries and pacing belong to orchester.
 */
export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const [{ Octokit }, { paginateRest }] = await Promise.all([
    import('@octokit/core'),
    import('@octokit/plugin-paginate-rest'),
  ]);
  const GitHub = Octokit.plugin(paginateRest);
  const log = {
    debug: () => {},
    info: () => {},
    warn: (message: string) => options.logger.warn({ source: 'octokit' }, redact(message)),
    error: (message: string) => options.logger.error({ source: 'octokit' }, redact(message)),
  };
  const common = {
    userAgent: 'orchester-connector-github',
    log,
    // Every request (installation-token requests included) goes through the kit's fetch.
    request: {
      fetch: options.http.with({
        service: 'GitHub',
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        routes: GITHUB_ROUTES,
      }).fetch,
    },
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
  };
  if ('token' in options.auth) {
    registerSecret(options.auth.token);
    return new GitHub({ ...common, auth: options.auth.token }) as GitHubClient;
  }
  const { createAppAuth } = await import('@octokit/auth-app');
  return new GitHub({
    ...common,
    authStrategy: createAppAuth,
    auth: {
      appId: options.auth.appId,
      privateKey: options.auth.privateKey,
      installationId: options.auth.installationId,
    },
  }) as GitHubClient;
}
