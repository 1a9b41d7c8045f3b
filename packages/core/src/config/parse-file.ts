import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import { FILE_LIMITS, FileRefusal, quote, readBoundedText } from '../input.js';

// The YAML parser is loaded only for YAML files: most runs read JSON, and every command pays
// for what is loaded at start-up.
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => {
  yamlModule ??= require('yaml') as typeof import('yaml');
  return yamlModule;
};

/**
 * Reads a JSON or YAML file of at most `maxBytes` into a plain value; syntax errors name the
 * file, line and column, and never quote more of the file than a short excerpt.
 */
export function readStructuredFile(
  path: string,
  what = 'config file',
  maxBytes: number = FILE_LIMITS.config,
): unknown {
  let text: string;
  try {
    text = readBoundedText(path, what, maxBytes);
  } catch (error) {
    if (error instanceof FileRefusal) throw new ConfigError(error.message);
    throw error;
  }
  return parseStructuredText(text, path, what);
}

/**
 * The first key that an object of this JSON text holds twice, with where it stands. JSON.parse
 * keeps the last silently; in a config or roster that hides a mistake. `text` is valid JSON.
 */
function duplicateKey(text: string): { key: string; index: number } | undefined {
  // One entry per open object (its keys so far) or array (null).
  const open: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = open[open.length - 1];
      if (keys && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return { key, index: i };
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      open.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      open.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      open.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = open[open.length - 1] != null;
    }
  }
  return undefined;
}

function lineAndColumn(text: string, index: number): string {
  const before = text.slice(0, index);
  return `line ${before.split('\n').length}, column ${index - before.lastIndexOf('\n')}`;
}

export function parseStructuredText(text: string, path: string, what = 'config file'): unknown {
  const isJson =
    path.endsWith('.json') || (!/\.ya?ml$/.test(path) && text.trimStart().startsWith('{'));
  if (isJson) {
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch (error) {
      const message = (error as Error).message;
      const pos = /position (\d+)/.exec(message);
      const where = pos?.[1] ? ` at ${lineAndColumn(text, Number(pos[1]))}` : '';
      // Newer engines quote the text around the mistake: say what is wrong, not what the file holds.
      const reason = message.replace(/, ".*$/s, '').replace(/ in JSON( at position \d+)?.*$/s, '');
      throw new ConfigError(
        `${what} ${path} is not valid JSON${where}: ${quote(reason).slice(1, -1)}; fix the syntax`,
      );
    }
    const twice = duplicateKey(text);
    if (twice) {
      throw new ConfigError(
        `${what} ${path} has the key ${quote(twice.key)} twice in one object (at ${lineAndColumn(text, twice.index)}); keep one`,
      );
    }
    return value;
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]);
    const where = ` at line ${line.line}, column ${line.col}`;
    throw new ConfigError(
      `${what} ${path} is not valid YAML${where}: ${quote(first.message.split('\n')[0], 120).slice(1, -1)}; fix the syntax`,
    );
  }
  try {
    // Aliases that expand into millions of nodes (a "billion laughs") are refused, not built.
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    if (error instanceof ReferenceError || /alias/i.test((error as Error).message)) {
      throw new ConfigError(
        `${what} ${path} uses YAML aliases too many times (it would expand without bound); write the values out`,
      );
    }
    throw error;
  }
}
