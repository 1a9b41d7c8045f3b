import { routeMatcher, type ServiceHttp } from '@orchester/core';
import type { gaxios } from 'google-auth-library';

/** Google's token endpoint; the service-account (gtoken) code has it built in with no option to change it. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** The routes the connector calls, as templates for `recordCall` (never a URL naming files or people). */
export const DRIVE_ROUTES = [
  '/drive/v3/files/{fileId}/permissions/{permissionId}',
  '/drive/v3/files/{fileId}/permissions',
  '/drive/v3/files/{fileId}',
  '/drive/v3/drives/{driveId}',
  '/token',
] as const;

/** The route template of a request URL: never the URL itself, which names files and people. */
export const routeOf = routeMatcher(DRIVE_ROUTES);

export function isTokenEndpoint(url: URL | string | undefined): boolean {
  return url !== undefined && routeOf(url) === '/token';
}

export interface TransportOptions {
  /** The instance name, for messages. */
  readonly instance: string;
  readonly baseUrl: string | undefined;
  readonly timeoutMs: number;
  /** The kit's HTTP helper: timeout, abort signal, `recordCall`, no-answer errors. */
  readonly http: ServiceHttp;
}

/**
 * Options of the one HTTP transport that both the auth client and the Drive client use: the
 * kit's fetch (a timeout, the abort signal, every request reported through `recordCall`) and
 * no retries.
 */
export function transporterOptions(options: TransportOptions): gaxios.GaxiosOptions {
  return {
    retry: false,
    fetchImplementation: options.http.with({
      service: `Google Drive (${options.instance})`,
      timeoutMs: options.timeoutMs,
      routes: DRIVE_ROUTES,
    }).fetch,
  };
}

/**
 * Turns gaxios retries off for every request, including the token requests google-auth-library
 * sends with its own `retryConfig` (retries belong to orchester's policy), and sends token
 * requests to the emulator's `/token` when a base URL is set.
 */
export function transportInterceptor(
  options: TransportOptions,
): gaxios.GaxiosInterceptor<gaxios.GaxiosOptionsPrepared> {
  return {
    async resolved(config) {
      config.retry = false;
      config.retryConfig = { ...config.retryConfig, retry: 0, noResponseRetries: 0 };
      if (options.baseUrl && config.url.href === GOOGLE_TOKEN_URL) {
        config.url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/token`);
      }
      return config;
    },
  };
}
