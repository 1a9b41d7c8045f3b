const knownSecrets = new Set<string>();

// Credential shapes of no service in particular, caught even when config never named them.
// Each connector declares its own service's token shapes (`secretPatterns`), registered when it loads.
const GENERIC_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /((?:authorization|proxy-authorization)["']?\s*[:=]\s*["']?)(?:token|bearer|basic|oauth)\s+[^\s"',]+/gi,
  /(oauth_(?:token|consumer_key|signature)=")[^"]*"/gi,
  /([?&](?:token|key|access_token|refresh_token|client_secret|code)=)[^&\s"']+/gi,
];

let patterns: RegExp[] = [...GENERIC_PATTERNS];
// One pass over the text tells whether any token shape may be present (a superset: case is
// ignored); most log strings hold none, and then the replacements are skipped.
let maybeToken = anyOf(patterns);

function anyOf(list: readonly RegExp[]): RegExp {
  return new RegExp(list.map((p) => `(?:${p.source})`).join('|'), 'i');
}

/**
 * Adds the shape of a service's credentials (`/\bghp_[A-Za-z0-9]{20,}\b/g`) to what `redact`
 * removes from every text. A global pattern; a first capture group is kept (a prefix such as
 * `token=`).
 */
export function registerSecretPattern(pattern: RegExp): void {
  if (patterns.some((p) => p.source === pattern.source && p.flags === pattern.flags)) return;
  patterns = [
    ...patterns,
    pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`),
  ];
  maybeToken = anyOf(patterns);
}

export const REDACTED = '[redacted]';

/** Remembers a secret so that `redact` removes it from any text later. Short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string') return;
  const v = value.trim();
  // Very short strings would redact ordinary words; no real credential is this short.
  if (v.length >= 6) knownSecrets.add(v);
}

/** Forgets every registered secret and service token shape (tests). */
export function clearRegisteredSecrets(): void {
  knownSecrets.clear();
  patterns = [...GENERIC_PATTERNS];
  maybeToken = anyOf(patterns);
}

/** Replaces every registered secret and every known token shape in `text` with `[redacted]`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  if (!maybeToken.test(out)) return out;
  for (const pattern of patterns) {
    out = out.replace(pattern, (match, prefix?: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** A deep copy of `value` with every string redacted and secret-named keys blanked. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v != null ? REDACTED : redactValue(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Config and header keys whose values are secrets. */
export const SECRET_KEY =
  /^(?:[a-z0-9]+[_-])*(?:token|secret|password|api_key|private_key)$|^(?:authorization|cookie|x-api-key)$/i;
