import { readFileSync } from 'node:fs';
import { InvalidInputError, parseStructuredText } from '@orchester/core';
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
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      `batch file ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}; check the path`,
    );
  }
  if (/\.csv$/i.test(path) || (!/\.(json|ya?ml)$/i.test(path) && /^[^{[\n]*,/.test(text)))
    return csvRows(path, text);
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

function csvRows(path: string, text: string): BatchRow[] {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      bom: true,
    }) as never;
  } catch (error) {
    throw new InvalidInputError(`batch file ${path} is not valid CSV: ${(error as Error).message}`);
  }
  return records.map(({ record, info }) => {
    // Empty cells are absent values, not empty strings.
    const values: Record<string, string> = {};
    for (const key in record) if (record[key] !== '') values[key] = record[key]!;
    return { row: info.lines, values };
  });
}
