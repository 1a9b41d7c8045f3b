import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@orchester/core';
import { parseStructuredText } from '@orchester/runtime';
import { parseDocument } from 'yaml';

export interface SaveTarget {
  /** The config file in use, or undefined to create one. */
  readonly file: string | undefined;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Where the instance's block sits: `connectors.github-corp`, or `github` (the seed's layout). */
  readonly path: string;
  readonly type: string;
}

function writeOwnerOnly(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * Merges `values` into one instance block of the config file and writes it owner-only
 * (it may now hold a secret). YAML keeps its comments. Answers the file written.
 */
export function saveInstanceValues(target: SaveTarget, values: Record<string, unknown>): string {
  const file =
    target.file ?? resolve(target.cwd, target.env.ORCHESTER_CONFIG_PATH || '.orchester.json');
  const keys = target.path.split('.');
  if (/\.ya?ml$/.test(file) && existsSync(file)) {
    const doc = parseDocument(readFileSync(file, 'utf8'));
    if (!doc.hasIn(keys)) doc.setIn(keys, doc.createNode({ type: target.type }));
    for (const [k, v] of Object.entries(values)) doc.setIn([...keys, k], v);
    writeOwnerOnly(file, doc.toString());
    return file;
  }
  const current = existsSync(file)
    ? (parseStructuredText(readFileSync(file, 'utf8'), file) ?? {})
    : {};
  if (typeof current !== 'object' || Array.isArray(current)) {
    throw new ConfigError(
      `${file}: the top level must be an object; fix the file before saving into it`,
    );
  }
  let node = current as Record<string, unknown>;
  for (const key of keys) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (keys[0] === 'connectors' && node.type === undefined) node.type = target.type;
  Object.assign(node, values);
  writeOwnerOnly(file, `${JSON.stringify(current, null, 2)}\n`);
  return file;
}
