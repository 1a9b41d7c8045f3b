import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConnectorLimits } from '@orchester/core';
import { ConfigError, describeIssues, quote } from '@orchester/core';
import { z } from 'zod';
import { INSTANCE_NAME } from '../job.js';
import { findConfigFile } from './find.js';
import { readStructuredFile } from './parse-file.js';
import { retrySectionSchema } from './retry-section.js';
import { resolveSecrets } from './secrets.js';

/** Top-level keys that are not connector instances. Each feature validates its own section. */
export const CONFIG_SECTIONS = [
  'worker',
  'redis',
  'retry',
  'audit',
  'batch',
  'roster',
  'drift',
  'sandbox',
] as const;
const RESERVED = new Set<string>([
  'default_connector',
  'plugins',
  'connectors',
  'actor',
  ...CONFIG_SECTIONS,
]);
/** The seed's layout put a connector's block at the top level under one of these type names. */
const SEED_TYPES = ['github', 'slack', 'trello', 'gdrive'] as const;

/** Levenshtein distance, for "did you mean" on a mistyped key. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length]!;
}

/** The known key nearest to `key`, when it is near enough to be a typo of it. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(key.toLowerCase(), name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.name : undefined;
}

/** Keys orchester reads from every instance block; the rest belongs to the connector. */
const instanceCommonSchema = z.object({
  type: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'a connector type such as "github"')
    .optional(),
  base_url: z
    .url({ protocol: /^https?$/, message: 'an http(s) URL such as "http://127.0.0.1:4010"' })
    .refine((url) => {
      const parsed = URL.canParse(url) ? new URL(url) : undefined;
      return parsed?.username === '' && parsed.password === '';
    }, "an http(s) URL without a user name or password in it (credentials go in the connector's own keys)")
    .optional(),
  limits: z
    .object({
      concurrency: z.number().int().min(1).max(1000).optional(),
      rate: z
        .object({ max: z.number().int().min(1), duration_ms: z.number().int().min(1) })
        .strict()
        .optional(),
    })
    .strict()
    .optional(),
});

const topLevelSchema = z.object({
  default_connector: z.string().min(1).optional(),
  plugins: z.array(z.string().min(1)).optional(),
  actor: z.string().min(1).optional(),
  connectors: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

/** One configured instance of a connector, before the connector validates its block. */
export interface InstanceConfig {
  readonly name: string;
  readonly type: string;
  /** Where the block sits in the file: `connectors.github-oss`, or `github` for the seed's layout. */
  readonly path: string;
  /** The connector's part of the block (no `type`, `base_url`, `limits`); `{ env }` not yet resolved. */
  readonly block: Readonly<Record<string, unknown>>;
  readonly baseUrl?: string;
  readonly limits?: Partial<ConnectorLimits>;
}

export interface OrchesterConfig {
  /** The file read, or undefined when there is none (only commands that need no instance work then). */
  readonly file: string | undefined;
  readonly dir: string;
  readonly searched: readonly string[];
  readonly defaultConnector: string | undefined;
  readonly plugins: readonly string[];
  readonly actor: string | undefined;
  readonly instances: ReadonlyMap<string, InstanceConfig>;
  /** Raw feature sections (`worker`, `audit`...), read with `readConfigSection`. */
  readonly sections: Readonly<Record<string, unknown>>;
  /** Things worth telling the person (a readable-by-others file holding literal secrets). */
  readonly warnings: readonly string[];
}

export interface LoadConfigOptions {
  readonly explicitPath?: string | undefined;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Finds, reads and checks the config's shape. Connector blocks are checked when used. */
export function loadConfig(options: LoadConfigOptions = {}): OrchesterConfig {
  const env = options.env ?? process.env;
  const location = findConfigFile(options);
  const cwd = options.cwd ?? process.cwd();
  if (!location.path) {
    return {
      file: undefined,
      dir: cwd,
      searched: location.searched,
      defaultConnector: undefined,
      plugins: [],
      actor: undefined,
      instances: new Map(),
      sections: {},
      warnings: [],
    };
  }
  const file = location.path;
  // An empty file is an empty config, not an error.
  const raw = readStructuredFile(file) ?? {};
  if (!isPlainObject(raw)) {
    throw new ConfigError(
      `${file}: the top level must be an object of settings, e.g. {"default_connector": "github", "connectors": {...}}`,
    );
  }
  const top = topLevelSchema.safeParse(raw);
  if (!top.success) {
    throw new ConfigError(`${file}: ${describeIssues(top.error).join('; ')}`);
  }

  // Checked here, so every command refuses a bad retry block, whichever policy it runs with.
  const retry = retrySectionSchema.safeParse(raw.retry ?? {});
  if (!retry.success)
    throw new ConfigError(`${file}: ${describeIssues(retry.error, ['retry']).join('; ')}`);

  const instances = new Map<string, InstanceConfig>();
  const warnings: string[] = [];
  const literalSecrets: string[] = [];
  const addInstance = (
    name: string,
    path: string,
    value: unknown,
    typeFallback: string | undefined,
  ) => {
    if (!INSTANCE_NAME.test(name)) {
      throw new ConfigError(
        `${file}: ${path}: instance name "${name}" must be lower-case letters, digits and dashes (e.g. "github-corp")`,
      );
    }
    if (!isPlainObject(value)) {
      throw new ConfigError(
        `${file}: ${path}: expected an object of connector settings, e.g. {"type": "github", "org": "acme"}`,
      );
    }
    const common = instanceCommonSchema.safeParse({
      type: value.type,
      base_url: value.base_url,
      limits: value.limits,
    });
    if (!common.success)
      throw new ConfigError(`${file}: ${describeIssues(common.error, [path]).join('; ')}`);
    const type = common.data.type ?? typeFallback;
    if (!type) {
      throw new ConfigError(
        `${file}: ${path}.type: required; say which connector serves "${name}", e.g. "type": "github"`,
      );
    }
    if (instances.has(name)) {
      throw new ConfigError(`${file}: ${path}: instance "${name}" is configured twice; keep one`);
    }
    const { type: _t, base_url: _b, limits: _l, ...block } = value;
    literalSecrets.push(
      ...resolveSecrets(block, { file, path }, env, [], false).literalSecretPaths,
    );
    const limits = common.data.limits;
    instances.set(name, {
      name,
      type,
      path,
      block,
      ...(common.data.base_url ? { baseUrl: common.data.base_url } : {}),
      ...(limits
        ? {
            limits: {
              ...(limits.concurrency ? { concurrency: limits.concurrency } : {}),
              ...(limits.rate
                ? { rate: { max: limits.rate.max, durationMs: limits.rate.duration_ms } }
                : {}),
            },
          }
        : {}),
    });
  };

  for (const [name, value] of Object.entries(top.data.connectors ?? {})) {
    addInstance(name, `connectors.${name}`, value, undefined);
  }
  const sections: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (RESERVED.has(key)) {
      if ((CONFIG_SECTIONS as readonly string[]).includes(key)) sections[key] = value;
      continue;
    }
    // The seed's layout: a connector's settings at the top level under its type's name.
    if ((SEED_TYPES as readonly string[]).includes(key) && isPlainObject(value)) {
      addInstance(key, key, value, key);
      continue;
    }
    const known = [...RESERVED, ...SEED_TYPES];
    const near = nearestKey(key, known);
    throw new ConfigError(
      `${file}: ${quote(key, 40)} is not a setting; ${near ? `did you mean "${near}"? ` : ''}the top level takes ${[...RESERVED].join(', ')} (instances go under "connectors")`,
    );
  }

  // Secrets of orchester's own sections: the dashboard token, a Redis password.
  for (const key of ['worker', 'redis'] as const) {
    if (!isPlainObject(sections[key])) continue;
    literalSecrets.push(
      ...resolveSecrets(sections[key], { file, path: key }, env, [], false).literalSecretPaths,
    );
  }
  for (const [path, url] of redisUrlsOf(sections.redis)) {
    if (URL.canParse(url) && new URL(url).password) literalSecrets.push(`${path} (its password)`);
  }

  if (literalSecrets.length > 0) {
    try {
      const mode = statSync(file).mode;
      if ((mode & 0o044) !== 0) {
        warnings.push(
          `${file} is readable by other users and holds a literal secret at ${literalSecrets.join(', ')}; run "chmod 600 ${file}" or use {"env": "NAME"} instead`,
        );
      }
    } catch {
      // stat failing after a successful read is not worth stopping for
    }
  }

  return {
    file,
    dir: dirname(file),
    searched: location.searched,
    defaultConnector: top.data.default_connector,
    plugins: top.data.plugins ?? [],
    actor: top.data.actor,
    instances,
    sections,
    warnings,
  };
}

/** `redis.url` and the node URLs of `redis.cluster` / `redis.sentinel`, by config path. */
function redisUrlsOf(redis: unknown): Array<[string, string]> {
  if (!isPlainObject(redis)) return [];
  const found: Array<[string, string]> = [];
  if (typeof redis.url === 'string') found.push(['redis.url', redis.url]);
  for (const kind of ['cluster', 'sentinel'] as const) {
    const section = redis[kind];
    if (!isPlainObject(section) || !Array.isArray(section.nodes)) continue;
    section.nodes.forEach((url: unknown, i: number) => {
      if (typeof url === 'string') found.push([`redis.${kind}.nodes[${i}]`, url]);
    });
  }
  return found;
}

/** Reads a feature's section with its own schema; errors name the file and the path. */
export function readConfigSection<S extends z.ZodType>(
  config: OrchesterConfig,
  key: (typeof CONFIG_SECTIONS)[number],
  schema: S,
): z.output<S> {
  const parsed = schema.safeParse(config.sections[key] ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      `${config.file ?? 'config'}: ${describeIssues(parsed.error, [key]).join('; ')}`,
    );
  }
  return parsed.data;
}
