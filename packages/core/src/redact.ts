const knownSecrets = new Set<string>();

// Token shapes of the services we talk to, caught even when config never named them.
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bxox[abeprs]-[A-Za-z0-9-]{8,}\b/g,
  /\bya29\.[A-Za-z0-9._-]{10,}\b/g,
  /\b1\/\/[A-Za-z0-9._-]{20,}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /((?:authorization|proxy-authorization)["']?\s*[:=]\s*["']?)(?:token|bearer|basic|oauth)\s+[^\s"',]+/gi,
  /(oauth_(?:token|consumer_key|signature)=")[^"]*"/gi,
  /([?&](?:token|key|access_token|refresh_token|client_secret|code)=)[^&\s"']+/gi,
];

// One pass over the text tells whether any token shape may be present (a superset: case is
// ignored); most log strings hold none, and then the nine replacements are skipped.
const MAYBE_TOKEN = new RegExp(TOKEN_PATTERNS.map((p) => `(?:${p.source})`).join('|'), 'i');

export const REDACTED = '[redacted]';

/** Remembers a secret so that `redact` removes it from any text later. Short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string') return;
  const v = value.trim();
  // Very short strings would redact ordinary words; no real credential is this short.
  if (v.length >= 6) knownSecrets.add(v);
}

/** Forgets every registered secret (tests). */
export function clearRegisteredSecrets(): void {
  knownSecrets.clear();
}

/** Replaces every registered secret and every known token shape in `text` with `[redacted]`. */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  if (!MAYBE_TOKEN.test(out)) return out;
  for (const pattern of TOKEN_PATTERNS) {
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
