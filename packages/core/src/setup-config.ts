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
