import { ConfigError, isEnvRef, registerSecret, SECRET_KEY } from '@orchester/core';

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
