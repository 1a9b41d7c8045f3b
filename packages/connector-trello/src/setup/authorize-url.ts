/** Where Trello's authorize page lives (not on api.trello.com). */
export const TRELLO_AUTHORIZE_ORIGIN = 'https://trello.com';

export const EXPIRATIONS = ['1hour', '1day', '30days', 'never'] as const;
export type Expiration = (typeof EXPIRATIONS)[number];

export interface AuthorizeUrlOptions {
  /** `https://trello.com`, or the emulator's origin. */
  readonly origin: string;
  readonly apiKey: string;
  /** The application name Trello shows on the consent page. */
  readonly appName: string;
  readonly expiration: Expiration;
  /** Where Trello sends the browser with `#token=...`; omitted, Trello shows the token on a page. */
  readonly returnUrl?: string;
}

/**
 * Trello's authorize URL for a token with read and write scope. It holds the API key, which
 * Trello treats as a public app identifier; orchester opens it in the browser by way of the
 * loopback `/start` address so that the key is not printed.
 */
export function authorizeUrl(options: AuthorizeUrlOptions): string {
  const query = new URLSearchParams({
    expiration: options.expiration,
    name: options.appName,
    scope: 'read,write',
    response_type: 'token',
    key: options.apiKey,
  });
  if (options.returnUrl) {
    query.set('return_url', options.returnUrl);
    query.set('callback_method', 'fragment');
  }
  return `${options.origin.replace(/\/+$/, '')}/1/authorize?${query.toString()}`;
}
