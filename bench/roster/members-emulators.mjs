// `orchest members` and `orchest roster export` on instances of 1,050 members each, against the
// real emulators with the real SDKs: requests counted in each emulator's own request log, beside
// `plan` of a 1,000-person roster on the same services measured in the same run (the baseline).
// Goal: reading members costs no more requests than plan does (ratio ≤ 1), and plan on the
// exported roster finds 0 changes.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { report } from '../measure.mjs';
import { mail, ROSTER, startSeededEmulators } from './plan-emulators.mjs';

const root = join(import.meta.dirname, '..', '..');
const runtime = await import(pathToFileURL(join(root, 'packages/runtime/dist/index.js')).href);
const testing = await import(
  pathToFileURL(join(root, 'packages/runtime/dist/testing/index.js')).href
);

export async function run() {
  const { started, connectors, instances } = await startSeededEmulators();
  try {
    // A fresh registry for each measurement: each pays its own sign-in (Drive's token exchange).
    const fresh = () => testing.registryFor(connectors, instances);
    const registry = fresh();
    const names = started.map((s) => s.service.instance);
    const counts = () =>
      Object.fromEntries(started.map((s) => [s.type, s.emulator.requests.length]));
    const clear = () => {
      for (const s of started) s.emulator.clearRequests();
    };

    // Baseline: plan of the 1,000-person roster the plan bench uses (prune on, so every member counts).
    const roster = await runtime.parseRoster(
      {
        instances: Object.fromEntries(names.map((n) => [n, { prune: true, maxRemovalRatio: 1 }])),
        people: ROSTER.map((p) => ({
          name: p,
          email: mail(p),
          identities: { github: p, trello: p },
          access: names,
        })),
      },
      'bench-roster.yaml',
      registry,
    );
    clear();
    await runtime.plan(roster, registry);
    const planCalls = counts();

    const membersRegistry = fresh();
    clear();
    const members = await runtime.readMembers(names, membersRegistry);
    const membersCalls = counts();
    await membersRegistry.close();

    const exportRegistry = fresh();
    clear();
    const forExport = await runtime.readMembers(names, exportRegistry);
    const connectorOf = new Map();
    for (const name of names) connectorOf.set(name, await exportRegistry.connectorOf(name));
    const exported = runtime.exportRoster(forExport, connectorOf);
    const exportCalls = counts();
    await exportRegistry.close();

    // plan on the export: nothing to change.
    const back = await runtime.parseRoster(exported.roster, 'exported.yaml', registry);
    const again = await runtime.plan(back, registry);
    console.log(
      `${names.length} instances; exported ${exported.roster.people.length} people; plan on the export: ${again.summary.changes} changes`,
    );

    let allOk = again.summary.changes === 0;
    for (const { type, service } of started) {
      const listed = members.find((m) => m.instance === service.instance).members.length;
      for (const [what, calls] of [
        ['members', membersCalls[type]],
        ['roster export', exportCalls[type]],
      ]) {
        const ratio = calls / planCalls[type];
        const ok = calls <= planCalls[type];
        allOk &&= ok;
        report(
          `  ${service.instance} (${type}, ${listed} members): ${what}`,
          calls,
          ` calls; plan ${planCalls[type]} calls; ratio ${ratio.toFixed(2)}`,
          '≤ plan (ratio ≤ 1.00)',
          ok,
        );
      }
    }
    report(
      '  plan on the exported roster',
      again.summary.changes,
      ' changes',
      '0',
      again.summary.changes === 0,
    );
    await registry.close();
    return allOk;
  } finally {
    await Promise.all(started.map((s) => s.emulator.close()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
