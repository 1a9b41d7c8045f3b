// The demo: starts `orchest sandbox` (local emulators of every installed connector's service),
// then checks, adds and removes people with the real CLI, printing each command and its answer.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps', 'cli', 'dist', 'bin.js');
const dir = mkdtempSync(join(tmpdir(), 'orchester-demo-'));
const config = join(dir, '.orchester.json');

const sandbox = spawn(process.execPath, [cli, 'sandbox', '--write-config', config], {
  cwd: dir,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let sandboxOut = '';
sandbox.stdout.on('data', (chunk) => {
  sandboxOut += chunk;
});
await new Promise((resolve, reject) => {
  const started = Date.now();
  const poll = setInterval(() => {
    if (sandboxOut.includes('running')) {
      clearInterval(poll);
      resolve();
    } else if (Date.now() - started > 20_000 || sandbox.exitCode !== null) {
      clearInterval(poll);
      reject(new Error(`the sandbox did not start:\n${sandboxOut}`));
    }
  }, 50);
});
console.log(
  sandboxOut
    .split('\n')
    .filter((l) => l.startsWith('sandbox:'))
    .join('\n'),
);

function orchest(args, note) {
  console.log(`\n$ orchest ${args.join(' ')}${note ? `    # ${note}` : ''}`);
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    // HOME in the demo's folder: its audit trail stays out of yours.
    env: { ...process.env, HOME: dir, ORCHESTER_CONFIG_PATH: config },
    encoding: 'utf8',
  });
  process.stdout.write(result.stdout);
  process.stdout.write(result.stderr);
  console.log(`(exit ${result.status})`);
}

try {
  orchest(['connectors']);
  console.log('\n--- GitHub: the organization "acme"');
  orchest(['-c', 'github', 'check', 'bob'], 'a member');
  orchest(['-c', 'github', 'check', 'erin'], 'invited, has not accepted yet');
  orchest(['-c', 'github', 'check', 'octocat'], 'not in the organization');
  orchest(['-c', 'github', 'add', 'octocat'], 'GitHub invites them');
  orchest(['-c', 'github', 'add', 'octocat'], 'running it again is safe');
  orchest(['-c', 'github', 'add', 'mona', '--role', 'admin']);
  orchest(['-c', 'github', 'rm', 'erin'], 'cancels the pending invitation');
  orchest(['-c', 'github', 'rm', 'carol']);
  orchest(['-c', 'github', 'rm', 'carol'], 'already gone: not an error');
  orchest(['-c', 'github', 'check', 'bob', '--json']);
  orchest(['-c', 'github', 'add', 'not--a-login'], 'bad input: exit 2, nothing sent');
  const others = [
    ['slack', 'ada@example.com', 'new.hire@example.com'],
    ['trello', 'ada', 'new.hire@example.com'],
    ['gdrive', 'ada@example.com', 'new.hire@example.com'],
  ];
  for (const [type, member, newcomer] of others) {
    if (!sandboxOut.includes(`sandbox: ${type} `)) continue;
    console.log(`\n--- ${type}`);
    orchest(['-c', type, 'check', member]);
    orchest(['-c', type, 'add', newcomer]);
    orchest(['-c', type, 'rm', newcomer]);
  }
  console.log('\n--- the audit trail of what changed');
  orchest(['audit']);
} finally {
  sandbox.kill('SIGINT');
  await new Promise((resolve) => sandbox.once('exit', resolve));
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
