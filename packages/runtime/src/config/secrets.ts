import { ConfigError, registerSecret, SECRET_KEY } from '@orchester/core';

/** A secret given by reference: `{ "env": "NAME" }`. */
function isEnvRef(value: unknown): value is { env: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { env?: unknown }).env === 'string'
  );
}

export interface ResolvedSecrets {
  readonly value: Record<string, unknown>;
  /** Paths of secrets written literally in the file (for the readable-by-others warning). */
  readonly literalSecretPaths: readonly string[];
}

/**
 * Replaces every `{ "env": "NAME" }` in `block` with the variable's value and registers every
 * secret (referenced or literal) for redaction. A missing variable is a config error.
 */
export function resolveSecrets(
  block: Record<string, unknown>,
  where: { file: string; path: string },
  env: NodeJS.ProcessEnv,
  extraSecretFields: readonly string[] = [],
  resolveEnv = true,
): ResolvedSecrets {
  const literal: string[] = [];
  const isSecretKey = (key: string) => SECRET_KEY.test(key) || extraSecretFields.includes(key);
  const walk = (value: unknown, path: string, key: string): unknown => {
    if (isEnvRef(value)) {
      if (!resolveEnv) return value;
      const resolved = env[value.env];
      if (resolved === undefined || resolved === '') {
        throw new ConfigError(
          `${where.file}: ${path} names environment variable ${value.env}, which is ${resolved === undefined ? 'not set' : 'empty'}; export ${value.env} before running orchester`,
        );
      }
      registerSecret(resolved);
      return resolved;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, key));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, `${path}.${k}`, k);
      return out;
    }
    if (typeof value === 'string' && isSecretKey(key)) {
      registerSecret(value);
      if (value !== '') literal.push(path);
    }
    return value;
  };
  return {
    value: walk(block, where.path, '') as Record<string, unknown>,
    literalSecretPaths: literal,
  };
}

/**
 * The block a set-up flow sees: every `{ "env": "NAME" }` replaced by the variable's value and
 * registered for redaction; a variable that is not set (or empty) leaves its key out, since a
 * set-up runs precisely while the config is incomplete.
 */
export function resolveEnvLeniently(
  block: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const walk = (value: unknown): unknown => {
    if (isEnvRef(value)) {
      const resolved = env[value.env];
      if (!resolved) return undefined;
      registerSecret(resolved);
      return resolved;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const resolved = walk(v);
        if (resolved !== undefined) out[k] = resolved;
      }
      return out;
    }
    return value;
  };
  return walk(block) as Record<string, unknown>;
}
