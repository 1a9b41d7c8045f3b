/**
 * Response headers as SDKs hand them over: a WHATWG `Headers` (fetch, gaxios 7), or a plain
 * record of lower-case names (octokit's `response.headers`, axios).
 */
export type HeaderSource =
  | Headers
  | Readonly<Record<string, string | number | readonly string[] | undefined>>
  | undefined;

/** One header's value, whatever shape the headers come in; the first of repeated values. */
export function headerOf(headers: HeaderSource, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, unknown>>;
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  const value = key === undefined ? undefined : record[key];
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? String(value[0]) : String(value);
}
