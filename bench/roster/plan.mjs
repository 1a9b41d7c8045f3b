// Planning a 1,000-person roster: service calls of one paginated snapshot per instance against
// the per-person way (one `check` each, and the seed's three calls per check).
// The instances here are in-memory services paging like GitHub (100 a page);
// plan-emulators.mjs runs the same plan against the real emulators and their request logs.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { report } from '../measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = await import(pathToFileURL(join(root, 'packages/runtime/dist/index.js')).href);
const testing = {
  ...(await import(pathToFileURL(join(root, 'packages/core/dist/testing/index.js')).href)),
  ...(await import(pathToFileURL(join(root, 'packages/runtime/dist/testing/index.js')).href)),
};

const PEOPLE = 1000;
const PAGE = 100;
// Seed's way: look the user up, then the membership, then the invitations: three calls a check.
const SEED_CALLS_PER_CHECK = 3;

/** One instance with `members` current members (the first ones of the roster, and some strangers). */
function instance(id, members) {
  const seeded = {};
  for (let i = 0; i < members; i++) {
    seeded[i % 5 === 4 ? `stranger${i}` : `u${i}`] = {
      state: i % 17 === 0 ? 'invited' : 'member',
      role: i % 50 === 0 ? 'admin' : 'member',
    };
  }
  return testing.createMemoryConnector({ id, pageSize: PAGE, members: seeded, changesRoles: true });
}

export async function run() {
  const shapes = { small: 40, half: 500, full: 1200 };
  const made = Object.fromEntries(
    Object.entries(shapes).map(([name, n]) => [name, instance(`mem-${name}`, n)]),
  );
  const registry = testing.registryFor(
    Object.values(made).map((m) => m.connector),
    Object.fromEntries(Object.keys(shapes).map((name) => [name, `mem-${name}`])),
  );
  const raw = {
    instances: Object.fromEntries(
      Object.keys(shapes).map((name) => [name, { prune: true, maxRemovalRatio: 1, minAdmins: 0 }]),
    ),
    people: Array.from({ length: PEOPLE }, (_, i) => ({
      name: `User ${i}`,
      email: `u${i}@example.com`,
      identities: Object.fromEntries(Object.keys(shapes).map((name) => [`mem-${name}`, `u${i}`])),
      access: Object.keys(shapes),
    })),
  };
  const roster = await core.parseRoster(raw, 'bench-roster.yaml', registry);

  const started = performance.now();
  const plan = await core.plan(roster, registry);
  const ms = performance.now() - started;

  console.log(`${PEOPLE} people, page size ${PAGE}; plan took ${ms.toFixed(0)} ms`);
  let allOk = true;
  for (const [name, members] of Object.entries(shapes)) {
    const calls = made[name].service.calls.length;
    const budget = Math.ceil(members / PAGE) + 3;
    const ok = calls <= budget;
    allOk &&= ok;
    const changes = plan.instances.find((p) => p.instance === name).changes.length;
    report(
      `  ${name} (${members} members, ${changes} changes)`,
      calls,
      ` calls; per-person: ${PEOPLE} checks = ${PEOPLE} calls, seed ${PEOPLE * SEED_CALLS_PER_CHECK} calls`,
      `≤ ceil(${members}/${PAGE}) + 3 = ${budget}`,
      ok,
    );
  }
  return allOk;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
