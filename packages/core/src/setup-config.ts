import { ConfigError } from './errors.js';
import { registerSecret } from './redact.js';

/** A value given by reference to an environment variable: `{ "env": "NAME" }`. */
export function isEnvRef(value: unknown): value is { env: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { env?: unknown }).env === 'string'
  );
}

/**
 * The block a set-up flow sees: every `{ "env": "NAME" }` replaced by the variable's value and
 * registered for redaction; a variable that is not set (or empty) leaves its key out, since a
 * set-up runs precisely while the config is incomplete.
 */
export function resolveSetupConfig(
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

/**
 * A string setting of the set-up config (`config`, `{ env }` resolved), trimmed; undefined when
 * it is not set. One given as `{ "env": NAME }` whose variable is not set is a `ConfigError`
 * naming the key and the variable.
 */
export function setupString(
  context: {
    readonly instance: string;
    readonly rawConfig: Readonly<Record<string, unknown>>;
    readonly config: Readonly<Record<string, unknown>>;
  },
  key: string,
  /** What else the person can do, after "export it": `or pipe a token to ...`. */
  alternative?: string,
): string | undefined {
  const value = context.config[key];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  const raw = context.rawConfig[key];
  if (isEnvRef(raw)) {
    throw new ConfigError(
      `connectors.${context.instance}.${key} names environment variable ${raw.env}, which is not set; ${alternative ? `export it, ${alternative}` : 'export it first'}`,
    );
  }
  return undefined;
}
