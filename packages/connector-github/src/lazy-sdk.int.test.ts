import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

let hooksDir: string;
beforeAll(async () => {
  // A module hook that prints every module URL node resolves, so the test sees what importing costs.
  hooksDir = await mkdtemp(join(tmpdir(), 'orchester-gh-lazy-'));
  await writeFile(
    join(hooksDir, 'hooks.mjs'),
    'export async function resolve(s, c, next) { const r = await next(s, c); process.stdout.write("LOADED " + r.url + "\\n"); return r; }\n',
  );
  await writeFile(
    join(hooksDir, 'register.mjs'),
    "import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n",
  );
});
afterAll(async () => {
  await rm(hooksDir, { recursive: true, force: true });
});

async function loadedBy(script: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, [
    '--import',
    join(hooksDir, 'register.mjs'),
    '--input-type=module',
    '-e',
    script,
  ]);
  return stdout.split('\n').filter((l) => l.startsWith('LOADED '));
}

describe('the SDK is loaded only when an instance is created', () => {
  it('importing the connector (for --help, connectors) loads no octokit module', async () => {
    const loaded = await loadedBy(
      `const c = (await import(${JSON.stringify(dist)})).default; console.log('id ' + c.id);`,
    );
    expect(loaded.some((l) => l.includes('/connector-github/dist/index.js'))).toBe(true);
    expect(loaded.filter((l) => l.includes('@octokit'))).toEqual([]);
  });

  it('create() loads it', async () => {
    const loaded = await loadedBy(
      `const c = (await import(${JSON.stringify(dist)})).default;
       await c.create({ instance: 'github', config: { org: 'acme', token: 'x' }, logger: { debug() {}, info() {}, warn() {}, error() {} },
         signal: new AbortController().signal, clock: { now: Date.now, sleep: async () => {} }, configDir: '.', recordCall() {}, http: { with: () => ({ fetch }) } });`,
    );
    expect(loaded.some((l) => l.includes('@octokit/core'))).toBe(true);
    expect(loaded.some((l) => l.includes('@octokit/auth-app'))).toBe(false);
  });
});
