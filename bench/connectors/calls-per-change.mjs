// Service calls per change: a bulk batch of 100 new people into an instance that already has
// 320 members, through orchester's inline runner with the real SDKs against each emulator,
// counted in the emulator's own request log. Beside it, the seed's way measured in the same run:
// check each person, then add them (two jobs per person), for 100 other new people.
// Goal: at most 2 calls per change on every connector (1 is the floor: the write itself).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { report } from '../measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const core = await import(pathToFileURL(join(root, 'packages/runtime/dist/index.js')).href);
const testing = {
  ...(await import(pathToFileURL(join(root, 'packages/core/dist/testing/index.js')).href)),
  ...(await import(pathToFileURL(join(root, 'packages/runtime/dist/testing/index.js')).href)),
};

const MEMBERS = 320;
const BATCH = 100;
const GOAL = 2;

/** Each service's seeding: `services/<type>.mjs` (see services/README in each file's header). */
async function services() {
  const out = [];
  for (const file of readdirSync(join(here, 'services')).sort()) {
    if (!file.endsWith('.mjs')) continue;
    // A file exports one scenario, or several (`name` tells them apart).
    out.push(...[(await import(pathToFileURL(join(here, 'services', file)).href)).default].flat());
  }
  return out;
}

const jobsOf = (instance, action, people, batchId) =>
  people.map((identifier) => ({ instance, action, identifier, options: {}, batchId }));

async function callsFor(service) {
  const sandbox = await import(`@orchester/connector-${service.type}/sandbox`);
  const connector = (await import(`@orchester/connector-${service.type}`)).default;
  const emulator = await sandbox.default.start({ seed: 'empty' });
  try {
    const { existing, newcomers } = service.seed(sandbox, emulator.state, {
      members: MEMBERS,
      newcomers: 2 * BATCH,
    });
    const { base_url: _url, ...block } = emulator.configBlock();
    const registry = testing.registryFor([connector], {
      bench: { type: service.type, block, baseUrl: emulator.url },
    });
    const run = async (jobs) => {
      const batchId = core.newBatchId();
      const result = await core.runJobsInline(
        batchId,
        jobs.map((j) => ({ ...j, batchId })),
        { resolver: registry, limitsFor: (n) => registry.limitsFor(n) },
      );
      if (result.totals.failed > 0) {
        const first = result.jobs.find((j) => j.status === 'failed');
        throw new Error(`${service.type}: ${first.identifier}: ${first.error.message}`);
      }
      return result;
    };
    // Warm the instance (token exchange, organization look-up) outside both counts.
    await run(jobsOf('bench', 'check', [existing[0]], 'warm'));

    const seedWay = newcomers.slice(0, BATCH);
    emulator.clearRequests();
    for (const person of seedWay) {
      await run(jobsOf('bench', 'check', [person], 'b'));
      await run(jobsOf('bench', 'add', [person], 'b'));
    }
    const seedCalls = emulator.requests.length / BATCH;

    const batch = newcomers.slice(BATCH);
    emulator.clearRequests();
    const result = await run(jobsOf('bench', 'add', batch, 'b'));
    const changed = result.jobs.filter((j) => !j.outcome?.startsWith('already')).length;
    const calls = emulator.requests.length / changed;
    await registry.close();
    return { calls, seedCalls, changed };
  } finally {
    await emulator.close();
  }
}

export async function run() {
  let allOk = true;
  console.log(`${BATCH} new people into an instance of ${MEMBERS} members, real SDKs, emulators`);
  for (const service of await services()) {
    const { calls, seedCalls, changed } = await callsFor(service);
    const ok = calls <= GOAL && changed === BATCH;
    allOk &&= ok;
    report(
      `  ${service.name ?? service.type}`,
      calls.toFixed(2),
      ` calls per change (seed's way, check then add: ${seedCalls.toFixed(2)}; ratio ${(calls / seedCalls).toFixed(2)})`,
      `≤ ${GOAL}`,
      ok,
    );
  }
  return allOk;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
