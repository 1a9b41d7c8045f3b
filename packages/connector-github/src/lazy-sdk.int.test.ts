import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

let hooksDir: string;
beforeAll(async () => {
  // A module hook that notes every module URL node resolves, so the test sees what importing
  // costs. It appends to a file synchronously: on Node 22+ hooks run on their own thread, whose
  // stdout may not be flushed before the process exits.
  hooksDir = await mkdtemp(join(tmpdir(), 'orchester-gh-lazy-'));
  await writeFile(
    join(hooksDir, 'hooks.mjs'),
    'import { appendFileSync } from "node:fs";\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.ORCH_LOADED_FILE, "LOADED " + r.url + "\\n"); return r; }\n',
  );
  await writeFile(
    join(hooksDir, 'register.mjs'),
    "import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n",
  );
});
afterAll(async () => {
  await rm(hooksDir, { recursive: true, force: true });
});

let runs = 0;
async function loadedBy(script: string): Promise<string[]> {
  const file = join(hooksDir, `loaded-${++runs}.txt`);
  await writeFile(file, '');
  await run(
    process.execPath,
    ['--import', join(hooksDir, 'register.mjs'), '--input-type=module', '-e', script],
    { env: { ...process.env, ORCH_LOADED_FILE: file } },
  );
  return (await readFile(file, 'utf8')).split('\n').filter((l) => l.startsWith('LOADED '));
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
