import {
  FILE_LIMITS,
  FileRefusal,
  InvalidInputError,
  parseStructuredText,
  quote,
  readBoundedText,
} from '@orchester/core';
import { parse as parseCsv } from 'csv-parse/sync';

/** One row of a batch file with the number a person sees (CSV: the line; YAML/JSON: 1-based entry). */
export interface BatchRow {
  readonly row: number;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Reads a CSV (with a header line), YAML or JSON batch file into rows. YAML and JSON hold a list
 * of objects, or `{ "jobs": [...] }`.
 */
export function readBatchFile(path: string): BatchRow[] {
  let text: string;
  try {
    text = readBoundedText(path, 'batch file', FILE_LIMITS.batch);
  } catch (error) {
    if (error instanceof FileRefusal) throw new InvalidInputError(error.message);
    throw error;
  }
  const structured = /\.(json|ya?ml)$/i.test(path);
  if (/\.csv$/i.test(path) || (!structured && /^[^{[\n]*,/.test(text))) return csvRows(path, text);
  if (!structured && /^[^{[\n,]*;[^\n,]*;/.test(text)) return csvRows(path, text);
  let data: unknown;
  try {
    data = parseStructuredText(text, path, 'batch file');
  } catch (error) {
    throw new InvalidInputError((error as Error).message);
  }
  const list = Array.isArray(data) ? data : (data as { jobs?: unknown } | null)?.jobs;
  if (!Array.isArray(list)) {
    throw new InvalidInputError(
      `batch file ${path}: expected a list of rows such as [{"instance": "github-corp", "action": "add", "identifier": "octocat"}] (or {"jobs": [...]})`,
    );
  }
  return list.map((values, i) => {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      return { row: i + 1, values: { __notAnObject: true } };
    }
    return { row: i + 1, values: values as Record<string, unknown> };
  });
}

/** The header's column names, refusing one named twice (the later would replace the earlier). */
function columnsOf(path: string, header: string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new InvalidInputError(
      `batch file ${path}: the header names the column ${quote(twice)} twice; keep one`,
    );
  }
  if (names.length === 1 && /;/.test(header[0] ?? '')) {
    throw new InvalidInputError(
      `batch file ${path} is separated by ";"; orchester reads comma-separated CSV: save it with commas (or as YAML/JSON)`,
    );
  }
  return names;
}

function csvRows(path: string, text: string): BatchRow[] {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(text, {
      columns: (header: string[]) => columnsOf(path, header),
      skip_empty_lines: true,
      trim: true,
      info: true,
      bom: true,
    }) as never;
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    // csv-parse quotes the offending record: keep its reason, not the row's text.
    const reason = (error as Error).message.split(/:\s/)[0] ?? 'unreadable';
    throw new InvalidInputError(
      `batch file ${path} is not valid CSV: ${quote(reason).slice(1, -1)}; fix the file`,
    );
  }
  return records.map(({ record, info }) => {
    // Empty cells are absent values, not empty strings.
    const values: Record<string, string> = {};
    for (const key in record) if (record[key] !== '') values[key] = record[key]!;
    return { row: info.lines, values };
  });
}
