import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { redactValue } from '@orchester/core';
import {
  type FaultDecision,
  type FaultSpec,
  parseFaultSpec,
  rollFault,
  seededRandom,
} from './faults.js';
import { type Handler, Router, type SandboxRequest, type SandboxResponse } from './router.js';

/** One request as the emulator saw it. Credentials are never kept. */
export interface RequestLogEntry {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  /** The query string with credential parameters blanked. */
  readonly query: string;
  /** Request headers (lower-case names), credentials blanked. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** The request's parsed body (JSON, or a form's fields), credential fields blanked. */
  readonly requestBody: unknown;
  readonly status: number;
  /** The answer's body as sent (parsed JSON, or text), for contract checks. */
  readonly responseBody: unknown;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly fault: FaultDecision;
  /** The route pattern that served it, e.g. `/orgs/:org/members`. */
  readonly route: string | undefined;
}

/** What an emulator of one service is: its seeds, routes and the shape of its faults. */
export interface EmulatorDefinition<S> {
  /** The connector type it emulates: `github`. */
  readonly name: string;
  /** Named starting states; `demo` and `empty` at least. */
  readonly seeds: Readonly<Record<string, () => S>>;
  /** Registers the service's endpoints. */
  routes(route: (method: string, path: string, handler: Handler<S>) => void): void;
  /** The service's own answer for an injected fault. */
  faultResponse(kind: '5xx' | '429', req: SandboxRequest, spec: FaultSpec): SandboxResponse;
  /** Adds headers every answer carries (rate-limit headers...). */
  decorate?(req: SandboxRequest, res: SandboxResponse, state: S): SandboxResponse;
  /** The instance config block that points a connector at this emulator. */
  configFor(emulator: { readonly url: string; readonly state: S }): Record<string, unknown>;
  /** A short summary of the state for `GET /_sandbox/state`; defaults to the state itself. */
  snapshot?(state: S): unknown;
  /** Query parameter names holding credentials, blanked in the request log. */
  readonly secretParams?: readonly string[];
  /** Keys of answer bodies holding credentials (issued tokens), blanked in the request log. */
  readonly secretResponseFields?: readonly string[];
}

export interface StartEmulatorOptions<S> {
  readonly seed?: string;
  /** A ready state instead of a named seed. */
  readonly state?: S;
  readonly faults?: FaultSpec | string;
  readonly port?: number;
  /** Keeps at most this many request-log entries (oldest dropped). */
  readonly maxLogEntries?: number;
}

/** An emulator running on 127.0.0.1. */
export interface RunningEmulator<S> {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  state: S;
  readonly requests: RequestLogEntry[];
  faults: FaultSpec;
  setFaults(spec: FaultSpec | string): void;
  clearRequests(): void;
  reset(seed?: string): void;
  configBlock(): Record<string, unknown>;
  close(): Promise<void>;
}

/** Types an emulator definition and gives it a `start`. */
export function defineEmulator<S>(definition: EmulatorDefinition<S>): EmulatorDefinition<S> & {
  start(options?: StartEmulatorOptions<S>): Promise<RunningEmulator<S>>;
} {
  return Object.freeze({
    ...definition,
    start: (options?: StartEmulatorOptions<S>) => startEmulator(definition, options),
  });
}

const SECRET_QUERY = new Set([
  'token',
  'key',
  'access_token',
  'client_secret',
  'code',
  'refresh_token',
  'password',
]);

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json' || type?.endsWith('+json')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

/** A copy of `body` with the values of `keys` blanked, at any depth. */
function blankFields(body: unknown, keys: ReadonlySet<string>): unknown {
  if (keys.size === 0 || body === null || typeof body !== 'object') return body;
  if (Array.isArray(body)) return body.map((v) => blankFields(v, keys));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body))
    out[k] = keys.has(k) && v != null ? '[redacted]' : blankFields(v, keys);
  return out;
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'token']);

/** Request headers for the log: credentials blanked, repeated headers joined. */
function headersForLog(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return out;
}

function readRaw(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  answer: SandboxResponse,
): { body: unknown; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer.headers ?? {})) headers[k.toLowerCase()] = String(v);
  let payload = '';
  if (answer.body !== undefined && answer.status !== 204) {
    if (typeof answer.body === 'string') {
      payload = answer.body;
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      payload = JSON.stringify(answer.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(payload);
  return { body: answer.body, headers };
}

/** Starts an emulator on 127.0.0.1 and a free port (or `options.port`). */
export async function startEmulator<S>(
  definition: EmulatorDefinition<S>,
  options: StartEmulatorOptions<S> = {},
): Promise<RunningEmulator<S>> {
  const router = new Router<S>();
  definition.routes((method, path, handler) => router.on(method, path, handler));
  const patterns: Array<{ re: RegExp; path: string }> = [];
  definition.routes((_m, path) =>
    patterns.push({
      re: new RegExp(`^${path.replace(/:[^/]+/g, '[^/]+').replace(/[.]/g, '\\.')}/?$`),
      path,
    }),
  );
  const seedName = options.seed ?? 'demo';
  const makeSeed = (name: string): S => {
    const seed = definition.seeds[name];
    if (!seed)
      throw new Error(
        `${definition.name} emulator has no seed "${name}"; seeds: ${Object.keys(definition.seeds).join(', ')}`,
      );
    return seed();
  };
  const maxLog = options.maxLogEntries ?? 50_000;
  const secretParams = new Set([...SECRET_QUERY, ...(definition.secretParams ?? [])]);
  const secretFields: ReadonlySet<string> = new Set(definition.secretResponseFields ?? []);
  const sockets = new Set<Socket>();
  let random = seededRandom(1);

  const emulator: RunningEmulator<S> = {
    name: definition.name,
    url: '',
    port: 0,
    state: options.state ?? makeSeed(seedName),
    requests: [],
    faults: {},
    setFaults(spec) {
      this.faults = typeof spec === 'string' ? parseFaultSpec(spec) : spec;
      random = seededRandom(this.faults.seed ?? 1);
    },
    clearRequests() {
      this.requests.length = 0;
    },
    reset(seed) {
      this.state = makeSeed(seed ?? seedName);
      this.requests.length = 0;
    },
    configBlock() {
      return definition.configFor({ url: this.url, state: this.state });
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  emulator.setFaults(options.faults ?? {});

  const log = (raw: RequestLogEntry) => {
    // Issued tokens and OAuth codes travel in answers (token exchanges, redirects): keep them out of the log.
    const entry: RequestLogEntry = {
      ...raw,
      responseBody: redactValue(raw.responseBody),
      responseHeaders: redactValue(raw.responseHeaders) as Record<string, string>,
    };
    emulator.requests.push(entry);
    if (emulator.requests.length > maxLog)
      emulator.requests.splice(0, emulator.requests.length - maxLog);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rawBody = await readRaw(req);
    const origin = emulator.url;
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;

    if (path.startsWith('/_sandbox/')) {
      if (method === 'GET' && path === '/_sandbox/state') {
        send(res, {
          status: 200,
          body: definition.snapshot ? definition.snapshot(emulator.state) : emulator.state,
        });
      } else if (method === 'GET' && path === '/_sandbox/requests') {
        send(res, { status: 200, body: emulator.requests });
      } else if (method === 'POST' && path === '/_sandbox/faults') {
        try {
          const parsed = parseBody(rawBody, req.headers['content-type']);
          emulator.setFaults(
            typeof parsed === 'object' && parsed !== null
              ? (parsed as FaultSpec)
              : String(parsed ?? ''),
          );
          send(res, { status: 200, body: emulator.faults });
        } catch (error) {
          send(res, { status: 400, body: { error: (error as Error).message } });
        }
      } else if (method === 'POST' && path === '/_sandbox/reset') {
        emulator.reset(url.searchParams.get('seed') ?? undefined);
        send(res, { status: 200, body: { ok: true } });
      } else {
        send(res, { status: 404, body: { error: 'unknown sandbox endpoint' } });
      }
      return;
    }

    const query = new URLSearchParams(url.search);
    for (const name of [...query.keys()]) if (secretParams.has(name)) query.set(name, '[redacted]');
    const route = patterns.find((p) => p.re.test(path))?.path;
    const sandboxReq: SandboxRequest = {
      method,
      path,
      url,
      query: url.searchParams,
      headers: req.headers,
      params: {},
      body: parseBody(rawBody, req.headers['content-type']),
      rawBody,
      origin,
    };
    const at = Date.now();
    const fault = rollFault(emulator.faults, random, path);
    const entryBase = {
      at,
      method,
      path,
      query: query.toString(),
      requestHeaders: headersForLog(req.headers),
      requestBody: blankFields(sandboxReq.body, secretParams),
      fault,
      route,
    };
    if (emulator.faults.latencyMs)
      await new Promise((r) => setTimeout(r, emulator.faults.latencyMs));
    if (fault === 'drop') {
      log({ ...entryBase, status: 0, responseBody: undefined, responseHeaders: {} });
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') {
      log({ ...entryBase, status: 0, responseBody: undefined, responseHeaders: {} });
      setTimeout(() => req.socket.destroy(), emulator.faults.timeoutMs ?? 30_000).unref();
      return;
    }
    let answer: SandboxResponse;
    if (fault === '5xx' || fault === '429') {
      answer = definition.faultResponse(fault, sandboxReq, emulator.faults);
    } else {
      const found = router.match(method, path);
      if ('miss' in found) {
        answer = {
          status: found.miss,
          body: { message: found.miss === 404 ? 'Not Found' : 'Method Not Allowed' },
        };
      } else {
        try {
          answer = await found.handler({ ...sandboxReq, params: found.params }, emulator.state);
        } catch (error) {
          answer = {
            status: 500,
            body: { message: `emulator error: ${(error as Error).message}` },
          };
        }
      }
    }
    if (definition.decorate) answer = definition.decorate(sandboxReq, answer, emulator.state);
    if (fault === 'drop-after') {
      log({
        ...entryBase,
        status: 0,
        responseBody: blankFields(answer.body, secretFields),
        responseHeaders: {},
      });
      req.socket.destroy();
      return;
    }
    const sent = send(res, answer);
    log({
      ...entryBase,
      status: answer.status,
      responseBody: blankFields(sent.body, secretFields),
      responseHeaders: sent.headers,
    });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: String(error) } });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  Object.assign(emulator, { url: `http://127.0.0.1:${port}`, port });
  return emulator;
}
