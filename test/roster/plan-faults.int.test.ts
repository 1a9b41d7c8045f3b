// `orchest plan` through the CLI's main() against the four emulators while they rate-limit,
// fail and drop requests: the plan is the one made without faults, or the command fails
// naming the instance it could not read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INTERACTIVE_RETRY_POLICY } from '../../apps/cli/src/dispatch.js';
import { main } from '../../apps/cli/src/main.js';
import {
  closeEmulators,
  connectorsConfig,
  type Emulators,
  INSTANCES,
  saveIdentities,
  startEmulators,
} from './emulators.js';
import { scenarioRoster, seedScenario } from './scenario.js';

let emulators: Emulators;
let dir: string;
const all = () => Object.values(emulators);

/** Runs `orchest ARGS` in this process, as bin.js does, with the config and roster in `dir`. */
async function orchest(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    io: {
      stdout: { write: (c: string) => (stdout += c) },
      stderr: { write: (c: string) => (stderr += c) },
      stdin: Readable.from([]),
    },
    cwd: dir,
    env: { HOME: dir, ORCHESTER_CONFIG_PATH: join(dir, '.orchester.json') },
  });
  return { code, stdout, stderr };
}

/** Points the config at `on`'s emulators (by default the shared ones), with `extra` sections. */
function writeConfig(extra: Record<string, unknown> = {}, on: Emulators = emulators): void {
  writeFileSync(
    join(dir, '.orchester.json'),
    JSON.stringify({ ...extra, connectors: connectorsConfig(on) }),
    { mode: 0o600 },
  );
}

/** The plan `orchest plan --json` prints with no faults: what every faulty run must match. */
let faultless: unknown;

beforeAll(async () => {
  emulators = await startEmulators();
  seedScenario(emulators);
  dir = mkdtempSync(join(tmpdir(), 'orchester-plan-faults-'));
  writeFileSync(join(dir, 'team.json'), JSON.stringify(scenarioRoster));
  writeConfig();
  await saveIdentities(emulators, join(dir, '.orchester', 'identities.json'));
  const clean = await orchest('plan', 'team.json', '--json');
  expect(clean).toMatchObject({ code: 0, stderr: '' });
  faultless = JSON.parse(clean.stdout);
  for (const e of all()) e.clearRequests();
});

afterEach(() => {
  for (const e of all()) {
    e.setFaults({});
    e.clearRequests();
  }
  writeConfig();
});

afterAll(async () => {
  await closeEmulators(emulators);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Each emulator's fault dice are seeded so that its first two requests fail and the next twelve
 * do not (found by rolling the sandbox's `seededRandom`): every service fails the snapshot twice,
 * whatever order a connector sends its requests in, and the run is the same every time.
 */
const TWO_429S = { github: 1653, slack: 1851, trello: 2867, gdrive: 3429 };
/** With `5xx=0.15,timeout=0.05,drop=0.05`: drop then 5xx, timeout then 5xx, 5xx then timeout, 5xx then drop. */
const TWO_FAILURES = { github: 7732, slack: 1653, trello: 2549, gdrive: 2867 };

/** With `429=0.1`: the first two requests rate-limited, the next forty not. */
const TWO_429S_THEN_40_CLEAN = { github: 1655, slack: 1729, trello: 5757, gdrive: 13551 };

/** How many requests of an emulator were answered with `fault`. */
const faulted = (e: Emulators[keyof Emulators], fault: string) =>
  e.requests.filter((r) => r.fault === fault).length;

describe('orchest plan while the services fail', () => {
  it('rides out 30% 429s (Retry-After 1 s) on all four services: the same plan, exit 0', async () => {
    for (const [type, seed] of Object.entries(TWO_429S)) {
      emulators[type as keyof Emulators].setFaults(`429=0.3,retry-after=1,seed=${seed}`);
    }
    const result = await orchest('plan', 'team.json', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(faultless);
    // Every service did rate-limit the snapshot, and the wait was announced, naming the instance.
    for (const e of all()) expect(faulted(e, '429')).toBe(2);
    for (const name of Object.values(INSTANCES)) {
      expect(result.stderr).toMatch(new RegExp(`^orchest: ${name}: .*waiting .*1 s`, 'm'));
    }
  });

  it('rides out 5xx answers, timeouts and dropped connections: the same plan, exit 0', async () => {
    for (const [type, seed] of Object.entries(TWO_FAILURES)) {
      emulators[type as keyof Emulators].setFaults(
        `5xx=0.15,timeout=0.05,timeout-ms=200,drop=0.05,seed=${seed}`,
      );
    }
    const result = await orchest('plan', 'team.json', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(faultless);
    const { github, slack, trello, gdrive } = emulators;
    expect(
      [github, slack, trello, gdrive].map((e) => [
        faulted(e, '5xx'),
        faulted(e, 'timeout'),
        faulted(e, 'drop'),
      ]),
    ).toEqual([
      [1, 0, 1],
      [1, 1, 0],
      [1, 1, 0],
      [1, 0, 1],
    ]);
    for (const name of Object.values(INSTANCES)) {
      expect(result.stderr).toMatch(new RegExp(`^orchest: ${name}: .*retrying in \\d+ s$`, 'm'));
    }
  });

  it('fails naming the instance that stays down, exit 3, and prints no plan', async () => {
    emulators.trello.setFaults('5xx=1');
    const result = await orchest('plan', 'team.json');
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    const last = result.stderr.trim().split('\n').at(-1);
    expect(last).toMatch(/^orchest: error: could not read trello-acme: .*ORCH_TRANSIENT/);
    for (const other of [INSTANCES.github, INSTANCES.slack, INSTANCES.gdrive]) {
      expect(last).not.toContain(other);
    }
    // The interactive policy's attempts, each a fresh listing (one request here), then no more.
    expect(last).toContain(`${INTERACTIVE_RETRY_POLICY.attempts} tries`);
    expect(faulted(emulators.trello, '5xx')).toBe(INTERACTIVE_RETRY_POLICY.attempts);
    expect(emulators.trello.requests).toHaveLength(INTERACTIVE_RETRY_POLICY.attempts);
  });

  it('gives up at the deadline on a service that keeps rate-limiting, naming it, exit 3', async () => {
    writeConfig({ roster: { snapshot_deadline_ms: 2_500 } });
    emulators.slack.setFaults('429=1,retry-after=1');
    const result = await orchest('plan', 'team.json', '--json');
    expect(result.code).toBe(3);
    const error = JSON.parse(result.stdout) as { ok: boolean; error: Record<string, unknown> };
    expect(error.ok).toBe(false);
    expect(error.error).toMatchObject({
      code: 'ORCH_RATE_LIMITED',
      details: { instance: INSTANCES.slack, lastError: { code: 'ORCH_RATE_LIMITED' } },
    });
    expect(error.error.message).toMatch(
      /^could not read slack-eng within 2\.5 s \(roster\.snapshot_deadline_ms\): /,
    );
    // A wait that would end past the deadline is not begun: at most three tries fit in 2.5 s
    // (how many depends on how fast the emulator answers), where the policy alone allows 20 waits.
    const tries = faulted(emulators.slack, '429');
    expect(tries).toBeGreaterThanOrEqual(1);
    expect(tries).toBeLessThanOrEqual(3);
    expect(error.error.details).toMatchObject({ tries });
  });

  it('orchest apply plans through the same retries, then carries the plan out', async () => {
    // Emulators of its own: applying changes them.
    const own = await startEmulators();
    try {
      seedScenario(own);
      writeConfig({}, own);
      await saveIdentities(own, join(dir, '.orchester', 'identities.json'));
      for (const [type, seed] of Object.entries(TWO_429S_THEN_40_CLEAN)) {
        own[type as keyof Emulators].setFaults(`429=0.1,retry-after=1,seed=${seed}`);
      }
      const applied = await orchest('apply', 'team.json', '--inline', '--yes');
      expect(applied.code).toBe(0);
      for (const name of Object.values(INSTANCES)) {
        expect(applied.stderr).toMatch(
          new RegExp(`^orchest: ${name}: reading members: .*1 s$`, 'm'),
        );
      }
      // Each service's two 429s fell on the snapshot, which apply reads first (Drive's first
      // request is the token refresh), and no request after them was refused.
      for (const e of Object.values(own)) {
        expect(e.requests.map((r: { fault: string }) => r.fault).slice(0, 3)).toEqual([
          '429',
          '429',
          'none',
        ]);
        expect(faulted(e, '429')).toBe(2);
      }
      const again = await orchest('plan', 'team.json');
      expect(again.stdout.trim().split('\n').at(-1)).toBe('No changes.');
    } finally {
      await closeEmulators(own);
    }
  });
});

describe('jobs run here: one retry policy, whichever command runs them', () => {
  const rows = () =>
    writeFileSync(
      join(dir, 'rows.json'),
      JSON.stringify([{ instance: INSTANCES.trello, action: 'add', identifier: 'someone_new' }]),
    );
  const attemptsOf = async (batchId: string) => {
    const report = await orchest('batch', 'report', batchId, '--json');
    return (JSON.parse(report.stdout) as { jobs: Array<{ attempts: number }> }).jobs[0]?.attempts;
  };

  it('without a "retry" section, batch apply --inline retries as add does: the interactive defaults', async () => {
    emulators.trello.setFaults('5xx=1');
    rows();
    const batch = await orchest('batch', 'apply', 'rows.json', '--inline', '--id', 'b-policy-1');
    expect(batch.code).toBe(3);
    expect(await attemptsOf('b-policy-1')).toBe(INTERACTIVE_RETRY_POLICY.attempts);
    const add = await orchest('-c', INSTANCES.trello, 'add', 'someone_new', '--json');
    expect(add.code).toBe(3);
    expect(JSON.parse(add.stdout)).toMatchObject({
      status: 'failed',
      attempts: INTERACTIVE_RETRY_POLICY.attempts,
    });
  });

  it('config "retry" decides for add, batch apply --inline and the snapshots of plan alike', async () => {
    writeConfig({ retry: { attempts: 2, base_delay_ms: 10, max_delay_ms: 20 } });
    emulators.trello.setFaults('5xx=1');
    rows();
    const batch = await orchest('batch', 'apply', 'rows.json', '--inline', '--id', 'b-policy-2');
    expect(batch.code).toBe(3);
    expect(await attemptsOf('b-policy-2')).toBe(2);
    const add = await orchest('-c', INSTANCES.trello, 'add', 'someone_new', '--json');
    expect(JSON.parse(add.stdout)).toMatchObject({ status: 'failed', attempts: 2 });
    const plan = await orchest('plan', 'team.json');
    expect(plan.code).toBe(3);
    expect(plan.stderr.trim().split('\n').at(-1)).toContain('2 tries');
  });
});
