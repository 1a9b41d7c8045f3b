import { performance } from 'node:perf_hooks';
import type { ServiceCall } from '@orchester/core';
import type { gaxios } from 'google-auth-library';

/** Google's token endpoint; the service-account (gtoken) code has it built in with no option to change it. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

const ROUTES: ReadonlyArray<[RegExp, string]> = [
  [
    /^\/drive\/v3\/files\/[^/]+\/permissions\/[^/]+$/,
    '/drive/v3/files/{fileId}/permissions/{permissionId}',
  ],
  [/^\/drive\/v3\/files\/[^/]+\/permissions$/, '/drive/v3/files/{fileId}/permissions'],
  [/^\/drive\/v3\/files\/[^/]+$/, '/drive/v3/files/{fileId}'],
  [/^\/drive\/v3\/drives\/[^/]+$/, '/drive/v3/drives/{driveId}'],
  [/^\/token$/, '/token'],
];

/** The route template of a request URL: never the URL itself, which names files and people. */
export function routeOf(url: URL | string): string {
  const path = new URL(url).pathname;
  return ROUTES.find(([re]) => re.test(path))?.[1] ?? 'other';
}

export function isTokenEndpoint(url: URL | string | undefined): boolean {
  return url !== undefined && routeOf(url) === '/token';
}

export interface TransportOptions {
  /** The instance name, for messages. */
  readonly instance: string;
  readonly baseUrl: string | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  recordCall(call: ServiceCall): void;
}

/**
 * Options of the one HTTP transport that both the auth client and the Drive client use: a timeout,
 * the caller's abort signal, no retries, and every request reported through `recordCall`.
 */
export function transporterOptions(options: TransportOptions): gaxios.GaxiosOptions {
  return {
    timeout: options.timeoutMs,
    signal: options.signal,
    retry: false,
    async adapter(prepared, next) {
      const started = performance.now();
      let status = 0;
      try {
        const response = await next(prepared);
        status = response.status;
        return response;
      } finally {
        options.recordCall({
          method: (prepared.method ?? 'GET').toUpperCase(),
          route: routeOf(prepared.url),
          status,
          durationMs: Math.round(performance.now() - started),
        });
      }
    },
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
