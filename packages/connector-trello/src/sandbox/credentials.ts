import type { SandboxRequest } from '@orchester/sandbox';

/** The key and token of a request: the `Authorization: OAuth` header, else the query string. */
export function credentialsOf(req: SandboxRequest): { key?: string; token?: string } {
  const header = req.headers.authorization;
  if (typeof header === 'string' && /^oauth\s/i.test(header)) {
    const params = new Map<string, string>();
    for (const m of header.slice(6).matchAll(/([a-z_]+)\s*=\s*"([^"]*)"/gi))
      params.set(m[1]!.toLowerCase(), decodeURIComponent(m[2]!));
    const key = params.get('oauth_consumer_key');
    const token = params.get('oauth_token');
    return { ...(key ? { key } : {}), ...(token ? { token } : {}) };
  }
  const key = req.query.get('key') ?? undefined;
  const token = req.query.get('token') ?? undefined;
  return { ...(key ? { key } : {}), ...(token ? { token } : {}) };
}
