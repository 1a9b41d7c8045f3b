import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export {
  applySpecOverlay,
  loadSpec,
  type OverlayEvidence,
  type SpecCorrection,
} from './spec-overlay.js';

import type { RequestLogEntry } from './emulator.js';

type Json = Record<string, unknown>;

/** A request from an emulator's log, for `validateRequest`; `prefix` is the server's path prefix (`/api`). */
export function specRequestOf(entry: RequestLogEntry, prefix = ''): SpecRequest {
  return {
    method: entry.method,
    path: prefix && entry.path.startsWith(prefix) ? entry.path.slice(prefix.length) : entry.path,
    query: new URLSearchParams(entry.query),
    headers: entry.requestHeaders,
    body: entry.requestBody,
  };
}

// ajv-formats ships CommonJS; its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => void;

/** A response problem found against the official API description. */
export interface SpecViolation {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly message: string;
}

export interface SpecResponse {
  readonly method: string;
  /** The path as the spec writes it, without the server prefix (`/orgs/acme/members`). */
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  /**
   * The declared response to check against instead of the one `status` selects, e.g. `default` for
   * Slack's HTTP 200 `{ok:false}` errors, which its spec files under `default`.
   */
  readonly responseKey?: string;
}

/** A request as a client sent it, for checking against the description. */
export interface SpecRequest {
  readonly method: string;
  /** The path as the spec writes it, without the server prefix. */
  readonly path: string;
  readonly query?: URLSearchParams;
  /** Header names in lower case. */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed body: a JSON value, or a form's fields as an object of strings. */
  readonly body?: unknown;
}

/**
 * Checks emulator answers against an OpenAPI 3.0 or Swagger 2.0 description: the path and method
 * must exist, the status must be declared (or a `default` exist), and a JSON body must match.
 * `validateRequest` checks what a client sent: required parameters, and each parameter's and
 * the body's schema.
 */
export function createSpecValidator(spec: Json): {
  validate(response: SpecResponse): SpecViolation[];
  validateRequest(request: SpecRequest): SpecViolation[];
} {
  const swagger2 = typeof spec.swagger === 'string';
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Register the whole document so `#/components/...` and `#/definitions/...` refs resolve.
  const docId = 'spec.json';
  ajv.addSchema(rewriteNullable(spec) as Json, docId);

  const paths = (spec.paths ?? {}) as Record<string, Record<string, Json>>;
  const templates = Object.keys(paths).map((template) => ({
    template,
    re: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    // Fewer parameters first: `/orgs/{org}/members` beats `/orgs/{org}/{x}`.
    params: (template.match(/\{/g) ?? []).length,
  }));
  templates.sort((a, b) => a.params - b.params);
  const cache = new Map<string, ValidateFunction | null>();

  const validatorFor = (
    template: string,
    method: string,
    status: string,
  ): ValidateFunction | null | 'undeclared' => {
    const op = paths[template]?.[method];
    if (!op) return 'undeclared';
    const responses = (op.responses ?? {}) as Record<string, Json>;
    const key = responses[status]
      ? status
      : responses[`${status[0]}XX`]
        ? `${status[0]}XX`
        : responses.default
          ? 'default'
          : undefined;
    if (!key) return 'undeclared';
    const cacheKey = `${template} ${method} ${key}`;
    if (cache.has(cacheKey)) return cache.get(cacheKey) ?? null;
    const pointer = `${docId}#/paths/${escapePointer(template)}/${method}/responses/${escapePointer(key)}`;
    const response = responses[key] as Json;
    let schemaRef: string | undefined;
    if (swagger2) {
      if (response.schema) schemaRef = `${pointer}/schema`;
    } else {
      const content = (response.content ?? {}) as Record<string, Json>;
      const media = Object.keys(content).find((m) => m.includes('json'));
      if (media && content[media]?.schema)
        schemaRef = `${pointer}/content/${escapePointer(media)}/schema`;
    }
    const validate = schemaRef ? ajv.compile({ $ref: schemaRef }) : null;
    cache.set(cacheKey, validate);
    return validate;
  };

  const matchOf = (path: string, method: string) =>
    templates.find((t) => t.re.test(path) && paths[t.template]?.[method]);
  const requests = requestChecks(spec, ajv, docId, swagger2);

  return {
    validateRequest(request) {
      const method = request.method.toLowerCase();
      const match = matchOf(request.path, method);
      const at = { method: request.method, path: request.path, status: 0 };
      if (!match) return [{ ...at, message: 'path and method are not in the spec' }];
      return requests(match.template, method, request).map((message) => ({ ...at, message }));
    },
    validate(response) {
      const method = response.method.toLowerCase();
      const at = { method: response.method, path: response.path, status: response.status };
      const match = matchOf(response.path, method);
      if (!match) return [{ ...at, message: 'path and method are not in the spec' }];
      const validate = validatorFor(
        match.template,
        method,
        response.responseKey ?? String(response.status),
      );
      if (validate === 'undeclared')
        return [
          {
            ...at,
            message: `status ${response.status} is not declared for ${method.toUpperCase()} ${match.template}`,
          },
        ];
      if (!validate || response.body === undefined || typeof response.body === 'string') return [];
      if (validate(response.body)) return [];
      return (validate.errors ?? []).map((e: ErrorObject) => ({
        ...at,
        message: `${e.instancePath || 'body'} ${e.message ?? 'invalid'}`,
      }));
    },
  };
}

function escapePointer(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1').replace(/\{/g, '%7B').replace(/\}/g, '%7D');
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema's `type: [X, "null"]`; `x-` keys dropped. */
function rewriteNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k.startsWith('x-')) continue;
    out[k] = rewriteNullable(v);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.enum) out.enum = [...(out.enum as unknown[]), null];
    else if (out.$ref || out.allOf || out.oneOf || out.anyOf)
      return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

interface ResolvedParameter {
  readonly param: Json;
  /** Where it stands in the document, for compiling its schema by reference. */
  readonly pointer: string;
}

/** Follows a local `$ref` (`#/components/...`) to the node it names, with that node's pointer. */
function resolveRef(spec: Json, node: Json, pointer: string): { node: Json; pointer: string } {
  let current = node;
  let at = pointer;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/')) break;
    at = ref.slice(1);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (n, part) => (n as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
        spec,
      ) as Json;
    if (!current) throw new Error(`the description has no ${ref}`);
  }
  return { node: current, pointer: at };
}

/** A query or form value in the type its schema says: "3" as 3, "true" as true. */
function coerce(value: string, type: unknown): unknown {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Request checks of one description: an operation's parameters and body. */
function requestChecks(
  spec: Json,
  ajv: Ajv,
  docId: string,
  swagger2: boolean,
): (template: string, method: string, request: SpecRequest) => string[] {
  const paths = (spec.paths ?? {}) as Record<string, Record<string, Json>>;
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: Json): ValidateFunction => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(key, validate);
    }
    return validate;
  };

  const parametersOf = (template: string, method: string): ResolvedParameter[] => {
    const base = `/paths/${escapePointer(template)}`;
    const byKey = new Map<string, ResolvedParameter>();
    for (const [list, where] of [
      [paths[template]?.parameters, `${base}/parameters`],
      [paths[template]?.[method]?.parameters, `${base}/${method}/parameters`],
    ] as const) {
      ((list ?? []) as Json[]).forEach((raw, i) => {
        const { node, pointer } = resolveRef(spec, raw, `${where}/${i}`);
        byKey.set(`${node.in}:${node.name}`, { param: node, pointer });
      });
    }
    return [...byKey.values()];
  };

  /** The schema a parameter's value must match, and whether it is a list (`a,b`). */
  const schemaOf = (p: ResolvedParameter): { schema: Json; key: string; list: boolean } => {
    if (!swagger2) {
      const { node } = resolveRef(spec, (p.param.schema ?? {}) as Json, `${p.pointer}/schema`);
      return {
        schema: { $ref: `${docId}#${p.pointer}/schema` },
        key: p.pointer,
        list: node.type === 'array',
      };
    }
    const {
      name: _n,
      in: _i,
      required: _r,
      description: _d,
      collectionFormat,
      ...schema
    } = p.param;
    return {
      schema,
      key: p.pointer,
      list: schema.type === 'array' && collectionFormat !== 'multi',
    };
  };

  const valueProblems = (p: ResolvedParameter, raw: string): string[] => {
    const { schema, key, list } = schemaOf(p);
    const itemType = (s: Json) => resolveRef(spec, s, '').node.type;
    let value: unknown;
    if (list) {
      const items = swagger2
        ? ((p.param.items ?? {}) as Json)
        : ((resolveRef(spec, (p.param.schema ?? {}) as Json, '').node.items ?? {}) as Json);
      value = raw.split(',').map((v) => coerce(v, itemType(items)));
    } else {
      const type = swagger2 ? p.param.type : itemType((p.param.schema ?? {}) as Json);
      value = coerce(raw, type);
    }
    const validate = compile(key, schema);
    if (validate(value)) return [];
    const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
    return (validate.errors ?? []).map(
      (e: ErrorObject) =>
        `${p.param.in} parameter ${String(p.param.name)} "${shown}"${e.instancePath} ${e.message ?? 'invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
    );
  };

  return (template, method, request) => {
    const problems: string[] = [];
    const names = template.match(/\{[^}]+\}/g)?.map((n) => n.slice(1, -1)) ?? [];
    const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    const pathValues = new Map(
      (re.exec(request.path)?.slice(1) ?? []).map((v, i) => [names[i], decodeURIComponent(v)]),
    );
    const form =
      request.body && typeof request.body === 'object' ? (request.body as Json) : undefined;
    for (const p of parametersOf(template, method)) {
      const name = String(p.param.name);
      let raw: string | undefined;
      if (p.param.in === 'path') raw = pathValues.get(name);
      else if (p.param.in === 'query') {
        const all = request.query?.getAll(name) ?? [];
        raw = all.length > 0 ? all.join(',') : undefined;
      } else if (p.param.in === 'header') {
        const h = request.headers?.[name.toLowerCase()];
        raw = Array.isArray(h) ? h.join(',') : h;
      } else if (p.param.in === 'formData') {
        const v = form?.[name];
        raw = v === undefined ? undefined : String(v);
      } else if (p.param.in === 'body') {
        if (request.body === undefined) {
          if (p.param.required) problems.push('the body is required');
          continue;
        }
        const validate = compile(`${p.pointer}/schema`, { $ref: `${docId}#${p.pointer}/schema` });
        if (!validate(request.body))
          for (const e of validate.errors ?? [])
            problems.push(`body${e.instancePath} ${e.message ?? 'invalid'}`);
        continue;
      } else continue;
      if (raw === undefined) {
        if (p.param.required) problems.push(`required ${p.param.in} parameter ${name} is missing`);
        continue;
      }
      problems.push(...valueProblems(p, raw));
    }
    const body = paths[template]?.[method]?.requestBody as Json | undefined;
    if (!swagger2 && body) {
      const pointer = `/paths/${escapePointer(template)}/${method}/requestBody`;
      const { node, pointer: at } = resolveRef(spec, body, pointer);
      const content = (node.content ?? {}) as Record<string, Json>;
      const media = Object.keys(content).find((m) => m.includes('json'));
      if (request.body === undefined) {
        if (node.required) problems.push('the body is required');
      } else if (media && content[media]?.schema) {
        const ref = `${at}/content/${escapePointer(media)}/schema`;
        const validate = compile(ref, { $ref: `${docId}#${ref}` });
        if (!validate(request.body))
          for (const e of validate.errors ?? [])
            problems.push(`body${e.instancePath} ${e.message ?? 'invalid'}`);
      }
    }
    return problems;
  };
}
