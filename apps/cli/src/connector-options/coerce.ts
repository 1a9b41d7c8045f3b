import type { ConnectorOption } from './describe.js';

const TRUE = new Set(['true', 'yes']);
const FALSE = new Set(['false', 'no']);

/**
 * A value written as text (a flag, a CSV cell) as the option's type: `a,b` for a list, `true` or
 * `false` for a boolean, digits for a number. Text that does not fit stays as it is, for the
 * connector's schema to refuse with its own message.
 */
export function optionValueOf(option: ConnectorOption, value: unknown): unknown {
  if (option.kind === 'list') {
    const parts = Array.isArray(value) ? value : [value];
    if (!parts.every((p) => typeof p === 'string')) return value;
    return parts.flatMap((p: string) =>
      p
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (option.kind === 'boolean') {
    if (TRUE.has(text.toLowerCase())) return true;
    if (FALSE.has(text.toLowerCase())) return false;
  }
  if (option.kind === 'number' && text !== '' && Number.isFinite(Number(text))) return Number(text);
  return value;
}

/**
 * A batch row's options with each value as its option's type, under the option's own name: CSV
 * headers are lower-cased, so `removefromboards` is `removeFromBoards`. Keys that name no option
 * are kept for the schema to refuse.
 */
export function typedOptions(
  raw: Readonly<Record<string, unknown>>,
  options: readonly ConnectorOption[],
): Record<string, unknown> {
  const byName = new Map(options.map((o) => [o.name.toLowerCase(), o]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const option = byName.get(key.toLowerCase());
    if (option) out[option.name] = optionValueOf(option, value);
    else out[key] = value;
  }
  return out;
}
