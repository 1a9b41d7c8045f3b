import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';

// The YAML parser is loaded only for YAML files: most runs read JSON, and every command pays
// for what is loaded at start-up.
const require = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => {
  yamlModule ??= require('yaml') as typeof import('yaml');
  return yamlModule;
};

/** Reads a JSON or YAML file into a plain value; syntax errors name the file, line and column. */
export function readStructuredFile(path: string, what = 'config file'): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be read (${code})`;
    throw new ConfigError(`${what} ${path} ${why}; check the path or its permissions`, {
      cause: error,
    });
  }
  return parseStructuredText(text, path, what);
}

export function parseStructuredText(text: string, path: string, what = 'config file'): unknown {
  const isJson =
    path.endsWith('.json') || (!/\.ya?ml$/.test(path) && text.trimStart().startsWith('{'));
  if (isJson) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const message = (error as Error).message;
      const pos = /position (\d+)/.exec(message);
      let where = '';
      if (pos?.[1]) {
        const before = text.slice(0, Number(pos[1]));
        const line = before.split('\n').length;
        const column = Number(pos[1]) - before.lastIndexOf('\n');
        where = ` at line ${line}, column ${column}`;
      }
      throw new ConfigError(
        `${what} ${path} is not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}; fix the syntax`,
      );
    }
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]);
    const where = ` at line ${line.line}, column ${line.col}`;
    throw new ConfigError(
      `${what} ${path} is not valid YAML${where}: ${first.message.split('\n')[0]}; fix the syntax`,
    );
  }
  return doc.toJS() as unknown;
}
