// `orchest -c github check bob` against the GitHub emulator, beside its floor: a plain script
// that `fetch`es the same request(s). Both on every Node CI runs the suite on (this one and Node
// 24, see scripts/node24), measured in turns in the same run. Also `orchest --help` and
// `orchest add --help` against `node -e 0`.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { interleavedCpuMedians, interleavedMedians, report } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
// Asynchronous: the emulator in this process must keep answering.
const run$ = promisify(execFile);

/** The Nodes CI runs: this one, and Node 24 when this is not it (null when it cannot be had). */
function nodesToMeasure() {
  const nodes = [process.execPath];
  if (process.versions.node.split('.')[0] !== '24') {
    try {
      const node24 = execFileSync(join(root, 'scripts', 'node24'), { encoding: 'utf8' }).trim();
      nodes.push(node24);
    } catch (error) {
      console.log(`Node 24: not measured (scripts/node24 failed: ${error.message.split('\n')[0]})`);
    }
  }
  return nodes;
}

/** A script that sends the requests `check` sent, with plain fetch, and reads each answer. */
function plainFetchScript(dir, url, token, requests) {
  const calls = requests.map((r) => ({
    method: r.method,
    url: `${url}${r.path}${r.query ? `?${r.query}` : ''}`,
    accept: r.requestHeaders.accept ?? '*/*',
  }));
  const file = join(dir, 'plain-fetch.mjs');
  writeFileSync(
    file,
    `for (const c of ${JSON.stringify(calls)}) {
  const res = await fetch(c.url, { method: c.method, headers: { accept: c.accept, authorization: 'token ' + ${JSON.stringify(token)} } });
  await res.arrayBuffer();
}
`,
  );
  return file;
}

/** The file URL of the ESM entry of `name`, a dependency of the workspace package in `from`. */
function esmEntry(from, name) {
  const dir = join(from, 'node_modules', name);
  const dot = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports['.'];
  return pathToFileURL(realpathSync(join(dir, dot.import ?? dot.default))).href;
}

/**
 * The floor with the dependencies `check` cannot skip: the plain script after loading zod (config,
 * identifier and job validation) and octokit with its paginate plugin (the GitHub client), with
 * the compile cache on as the CLI has it. What `check` takes beyond this is orchester's own code.
 */
function dependencyFloorScript(dir, plain) {
  const runtime = join(root, 'packages', 'runtime');
  const github = join(root, 'packages', 'connector-github');
  const imports = [
    esmEntry(runtime, 'zod'),
    esmEntry(github, '@octokit/core'),
    esmEntry(github, '@octokit/plugin-paginate-rest'),
  ];
  const file = join(dir, 'dependency-floor.mjs');
  writeFileSync(
    file,
    `import module from 'node:module';
import { join } from 'node:path';
module.enableCompileCache?.(join(process.env.XDG_CACHE_HOME, 'floor'));
for (const url of ${JSON.stringify(imports)}) await import(url);
await import(${JSON.stringify(pathToFileURL(plain).href)});
`,
  );
  return file;
}

export async function run() {
  const { default: github } = await import('@orchester/connector-github/sandbox');
  const emulator = await github.start({ seed: 'demo' });
  const dir = mkdtempSync(join(tmpdir(), 'orch-bench-'));
  try {
    const config = join(dir, '.orchester.json');
    const block = emulator.configBlock();
    writeFileSync(
      config,
      JSON.stringify({
        connectors: { github: { type: 'github', ...block, base_url: emulator.url } },
      }),
      { mode: 0o600 },
    );
    const member = 'bob'; // a member in the emulator's demo seed
    const check = [cli, '-c', 'github', 'check', member];
    const baseEnv = { ...process.env, ORCHESTER_CONFIG_PATH: config };

    // What `check` sends, so that the floor sends the same.
    emulator.clearRequests();
    await run$(process.execPath, check, { env: baseEnv });
    const sent = emulator.requests.map((r) => `${r.method} ${r.path}`);
    const plain = plainFetchScript(dir, emulator.url, block.token, emulator.requests);
    const floor = dependencyFloorScript(dir, plain);
    console.log(`check sends: ${sent.join(', ')}`);

    for (const node of nodesToMeasure()) {
      const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
      // A compile cache of its own, filled by the warm-up runs as a user's would be.
      const cache = mkdtempSync(join(dir, 'cache-'));
      const env = { ...baseEnv, XDG_CACHE_HOME: cache };
      const [bare, fetchOnly, floorMs, checkMs, help, addHelp] = await interleavedMedians([
        { command: node, args: ['-e', '0'], env },
        { command: node, args: [plain], env },
        { command: node, args: [floor], env },
        { command: node, args: check, env },
        { command: node, args: [cli, '--help'], env },
        { command: node, args: [cli, 'add', '--help'], env },
      ]);
      const [fetchCpu, floorCpu, checkCpu] = await interleavedCpuMedians([
        { command: node, args: [plain], env },
        { command: node, args: [floor], env },
        { command: node, args: check, env },
      ]);
      console.log(
        `Node ${version}: plain fetch ${fetchOnly.toFixed(1)} ms (baseline), node -e 0 ${bare.toFixed(1)} ms`,
      );
      const ratio = checkMs / fetchOnly;
      report(
        `  orchest -c github check (${checkMs.toFixed(1)} ms)`,
        ratio.toFixed(2),
        '× plain fetch',
        '≤ 1.5×',
        ratio <= 1.5,
      );
      console.log(
        `  CPU time (user + system; steadier on a busy machine): check ${checkCpu.toFixed(1)} ms, plain fetch ${fetchCpu.toFixed(1)} ms: ${(checkCpu / fetchCpu).toFixed(2)}×`,
      );
      console.log(
        `  dependency floor (plain fetch after loading zod and octokit): ${floorMs.toFixed(1)} ms, ${(floorMs / fetchOnly).toFixed(2)}× plain fetch; CPU ${floorCpu.toFixed(1)} ms, ${(floorCpu / fetchCpu).toFixed(2)}×`,
      );
      report(
        `  orchest --help (${help.toFixed(1)} ms)`,
        (help / bare).toFixed(2),
        '× node -e 0',
        '≤ 3×',
        help / bare <= 3,
      );
      report(
        `  orchest add --help (${addHelp.toFixed(1)} ms)`,
        (addHelp / bare).toFixed(2),
        '× node -e 0',
        '≤ 3×',
        addHelp / bare <= 3,
      );
    }
  } finally {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
