import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gdriveEmulator, {
  holdAclWrites,
  permissionIdFor,
  releaseAclWrites,
} from '@orchester/connector-gdrive/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';

// Drive applies only the last of overlapping permission writes on one item. Twelve `orchest`
// processes, each its own runner, write to one folder at once: the emulator holds their writes
// until all twelve have arrived, so that eleven of them are certainly lost, then lets them land.
type Running = Awaited<ReturnType<typeof gdriveEmulator.start>>;
let drive: Running;
let dir: string;
let config: string;

beforeAll(async () => {
  drive = await gdriveEmulator.start({ seed: 'empty' });
});
afterAll(async () => {
  await drive.close();
});
beforeEach(() => {
  drive.reset('empty');
  drive.state.aclWriteDelayMs = 20;
  dir = mkdtempSync(join(tmpdir(), 'orch-gdrive-cli-'));
  config = join(dir, '.orchester.json');
  writeFileSync(
    config,
    JSON.stringify({
      connectors: { gdrive: { type: 'gdrive', ...drive.configBlock(), base_url: drive.url } },
    }),
    { mode: 0o600 },
  );
});

const orchest = (...args: string[]) =>
  runCli(args, { cwd: dir, env: { ORCHESTER_CONFIG_PATH: config } });
const people = Array.from(
  { length: 12 },
  (_, i) => `hire${String(i).padStart(2, '0')}@example.com`,
);
const folder = () => drive.state.items.get('folder-empty')!;
const roleOf = (email: string) => folder().permissions.find((p) => p.emailAddress === email)?.role;
const seedReaders = () => {
  for (const email of people)
    folder().permissions.push({
      id: permissionIdFor(email),
      type: 'user',
      role: 'reader',
      emailAddress: email,
    });
};

/** Runs one command per person at once, with every write held until all twelve reached Drive. */
async function twelveAtOnce(args: (email: string) => string[]) {
  holdAclWrites(drive.state);
  const runs = Promise.all(people.map((email) => orchest(...args(email))));
  const deadline = Date.now() + 90_000;
  while (drive.state.aclWrites.parked.length < people.length) {
    if (Date.now() > deadline) throw new Error('the twelve writes never all reached Drive');
    await new Promise((r) => setTimeout(r, 20));
  }
  releaseAclWrites(drive.state);
  const results = await runs;
  // All but the last of the twelve overlapping writes were lost, and sent again.
  expect(drive.state.aclWrites.lost).toBeGreaterThanOrEqual(people.length - 1);
  return results;
}

// Twelve Node processes start on what may be a busy two-core machine: give them time.
describe('twelve orchest processes on one Drive folder at once', { timeout: 240_000 }, () => {
  it('all twelve adds print "added", and twelve people have access', async () => {
    const results = await twelveAtOnce((email) => ['add', email, '-c', 'gdrive']);
    expect(results.map((r) => [r.code, r.stdout])).toEqual(
      people.map((email) => [0, `${email}: added to gdrive (role reader)\n`]),
    );
    expect(people.map(roleOf)).toEqual(people.map(() => 'reader'));
  });

  it('all twelve removals print "removed", and no one is left', async () => {
    seedReaders();
    const results = await twelveAtOnce((email) => ['rm', email, '-c', 'gdrive']);
    expect(results.map((r) => [r.code, r.stdout])).toEqual(
      people.map((email) => [0, `${email}: removed from gdrive (role reader)\n`]),
    );
    expect(people.map(roleOf)).toEqual(people.map(() => undefined));
  });

  it('all twelve role changes print "role changed", and everyone has the new role', async () => {
    seedReaders();
    const results = await twelveAtOnce((email) => [
      'add',
      email,
      '-c',
      'gdrive',
      '--role',
      'writer',
    ]);
    expect(results.map((r) => [r.code, r.stdout])).toEqual(
      people.map((email) => [0, `${email}: role changed in gdrive (role writer; was reader)\n`]),
    );
    expect(people.map(roleOf)).toEqual(people.map(() => 'writer'));
  });
});
