import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

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
}

/**
 * Checks emulator answers against an OpenAPI 3.0 or Swagger 2.0 description: the path and method
 * must exist, the status must be declared (or a `default` exist), and a JSON body must match.
 */
export function createSpecValidator(spec: Json): {
  validate(response: SpecResponse): SpecViolation[];
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

  return {
    validate(response) {
      const method = response.method.toLowerCase();
      const at = { method: response.method, path: response.path, status: response.status };
      const match = templates.find((t) => t.re.test(response.path) && paths[t.template]?.[method]);
      if (!match) return [{ ...at, message: 'path and method are not in the spec' }];
      const validate = validatorFor(match.template, method, String(response.status));
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
