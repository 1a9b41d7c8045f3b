// `orchest --help`, `orchest add --help` (which reads the installed connectors' option schemas)
// and `orchest -c github check` against `node -e 0`, measured in the same run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleavedMedians, report } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');

export async function run() {
  const { default: github } = await import('@orchester/connector-github/sandbox');
  const emulator = await github.start({ seed: 'demo' });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'orch-bench-'));
    const config = join(dir, '.orchester.json');
    writeFileSync(
      config,
      JSON.stringify({
        connectors: {
          github: { type: 'github', ...emulator.configBlock(), base_url: emulator.url },
        },
      }),
      { mode: 0o600 },
    );
    const member = 'bob'; // a member in the emulator's demo seed
    const env = { ...process.env, ORCHESTER_CONFIG_PATH: config };

    const [node, help, addHelp, check] = await interleavedMedians([
      { command: process.execPath, args: ['-e', '0'] },
      { command: process.execPath, args: [cli, '--help'], env },
      { command: process.execPath, args: [cli, 'add', '--help'], env },
      { command: process.execPath, args: [cli, '-c', 'github', 'check', member], env },
    ]);
    console.log(`node -e 0: ${node.toFixed(1)} ms (baseline)`);
    report('orchest --help', (help / node).toFixed(2), '× node -e 0', '≤ 3×', help / node <= 3);
    report(
      'orchest add --help',
      (addHelp / node).toFixed(2),
      '× node -e 0',
      '≤ 3×',
      addHelp / node <= 3,
    );
    report(
      'orchest -c github check',
      (check / node).toFixed(2),
      '× node -e 0',
      '≤ 5×',
      check / node <= 5,
    );
    console.log(
      `  (--help ${help.toFixed(1)} ms, add --help ${addHelp.toFixed(1)} ms, check ${check.toFixed(1)} ms)`,
    );
  } finally {
    await emulator.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
