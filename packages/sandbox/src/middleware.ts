import type { FixedWindowLimiter, WindowHit } from './rate-limit.js';
import type { Handler, SandboxRequest, SandboxResponse } from './router.js';

/**
 * A step in front of a route's handler: answers by itself (a 401, a 429) or calls `next` for
 * the handler (or the next step) to answer, and may add to that answer.
 */
export type Middleware<S> = (
  req: SandboxRequest,
  state: S,
  next: () => Promise<SandboxResponse>,
) => SandboxResponse | Promise<SandboxResponse>;

/** A handler behind middleware, the first listed running first: `guarded(h, auth, limit)`. */
export function guarded<S>(handler: Handler<S>, ...steps: readonly Middleware<S>[]): Handler<S> {
  return (req, state) => {
    const run = async (i: number): Promise<SandboxResponse> => {
      const step = steps[i];
      return step ? step(req, state, () => run(i + 1)) : handler(req, state);
    };
    return run(0);
  };
}

/** The credential of `Authorization: Bearer X` (or GitHub's `token X`), if any. */
export function bearerToken(req: SandboxRequest): string | undefined {
  const header = req.headers.authorization;
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(typeof header === 'string' ? header.trim() : '');
  return match?.[1];
}

export interface AuthOptions<S> {
  /** The credential the request carries; `bearerToken` by default. */
  credentialOf?(req: SandboxRequest): string | undefined;
  /** Whether the service knows the credential. */
  accepts(credential: string, state: S, req: SandboxRequest): boolean;
  /** The service's own refusal, for a request with no credential or an unknown one. */
  refuse(req: SandboxRequest, reason: 'missing' | 'unknown'): SandboxResponse;
}

/** Refuses a request whose credential the service does not know, in the service's own shape. */
export function requireAuth<S>(options: AuthOptions<S>): Middleware<S> {
  const credentialOf = options.credentialOf ?? bearerToken;
  return (req, state, next) => {
    const credential = credentialOf(req);
    if (credential === undefined) return options.refuse(req, 'missing');
    if (!options.accepts(credential, state, req)) return options.refuse(req, 'unknown');
    return next();
  };
}

export interface RateLimitOptions<S> {
  /** The window to count in (kept in the state, so a reset seed resets it). */
  limiter(state: S): FixedWindowLimiter;
  /** Whose budget a request spends: the token, the API key, the method... */
  keyOf(req: SandboxRequest, state: S): string;
  /** What a request costs; 1 by default. */
  cost?(req: SandboxRequest): number;
  /** The service's own answer when the window is spent (a 429 with `Retry-After`...). */
  refuse(hit: WindowHit, req: SandboxRequest): SandboxResponse;
  /** Headers every answer in budget carries (`x-ratelimit-remaining`...). */
  headers?(hit: WindowHit): Record<string, string | number>;
}

/** Counts each request in a fixed window and refuses it, as the service does, once spent. */
export function rateLimit<S>(options: RateLimitOptions<S>): Middleware<S> {
  return async (req, state, next) => {
    const hit = options.limiter(state).hit(options.keyOf(req, state), options.cost?.(req) ?? 1);
    if (!hit.ok) return options.refuse(hit, req);
    const answer = await next();
    const extra = options.headers?.(hit);
    return extra ? { ...answer, headers: { ...extra, ...answer.headers } } : answer;
  };
}

/** Seconds until a window resets, at least one: what a `Retry-After` says. */
export function retryAfterSeconds(hit: WindowHit, now: number = Date.now()): number {
  return Math.max(1, Math.ceil((hit.resetAt - now) / 1000));
}
