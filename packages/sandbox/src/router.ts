import type { IncomingHttpHeaders } from 'node:http';

/** A request as an emulator's handlers see it. */
export interface SandboxRequest {
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Path parameters from the route pattern (`:org` → `params.org`), URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** JSON bodies parsed, form bodies as an object of strings, others as text; undefined when empty. */
  readonly body: unknown;
  readonly rawBody: string;
  /** The emulator's own origin, for Link headers and next-page URLs. */
  readonly origin: string;
}

/** An answer: an object body is sent as JSON, a string as text/plain, undefined as an empty body. */
export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string | number>>;
  readonly body?: unknown;
}

export type Handler<S> = (
  req: SandboxRequest,
  state: S,
) => SandboxResponse | Promise<SandboxResponse>;

interface Route<S> {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler<S>;
}

/** Method + path-pattern routing; `:name` matches one path segment. */
export class Router<S> {
  private readonly routes: Route<S>[] = [];

  on(method: string, path: string, handler: Handler<S>): this {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${path
        .split('/')
        .map((part) => {
          if (part.startsWith(':')) {
            names.push(part.slice(1));
            return '([^/]+)';
          }
          return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/')}/?$`,
    );
    this.routes.push({ method: method.toUpperCase(), pattern, names, handler });
    return this;
  }

  /** The handler for a request, or `405`/`404` hints when none matches. */
  match(
    method: string,
    path: string,
  ): { handler: Handler<S>; params: Record<string, string> } | { miss: 404 | 405 } {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method.toUpperCase()) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    return { miss: pathMatched ? 405 : 404 };
  }
}
