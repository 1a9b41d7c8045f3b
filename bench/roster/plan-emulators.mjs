// Planning a 1,000-person roster against the real emulators of every installed connector, with
// the real SDKs: requests counted in each emulator's own request log, beside the per-person way
// (one `check` per person, measured by running one check) and the seed's three calls per check.
// Goal: at most ceil(members / page size) + 3 requests per instance.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { report } from '../measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = await import(pathToFileURL(join(root, 'packages/runtime/dist/index.js')).href);
const testing = {
  ...(await import(pathToFileURL(join(root, 'packages/core/dist/testing/index.js')).href)),
  ...(await import(pathToFileURL(join(root, 'packages/runtime/dist/testing/index.js')).href)),
};

const SEED_CALLS_PER_CHECK = 3;
const id = (i) => `p${String(i).padStart(4, '0')}`;
const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);
/** Roster: Olive (who owns every service) and p0001..p0999. */
export const ROSTER = range(1, 1000).map(id);
/** On every service now: p0001..p0899 and 150 strangers; p0900..p0999 are to add. */
const PRESENT = range(1, 900).map(id);
const STRANGERS = range(0, 150).map((i) => `s${String(i).padStart(3, '0')}`);
const ON_SERVICE = [...PRESENT, ...STRANGERS];
export const mail = (name) => `${name}@example.com`;

/**
 * How to seed each service with many members, its page size (entries per request of its
 * list), and who to `check` for the per-person count
 * (a member halfway down the list, and someone absent). Keyed by connector type.
 */
export const SERVICES = {
  github: {
    instance: 'github-corp',
    page: 100,
    access: 'admin',
    checkAs: ['p0450', 'p0950'],
    async seed(sandbox, state) {
      const acme = state.orgs.acme;
      for (const login of Object.keys(acme.members)) delete acme.members[login];
      for (const login of ['olive', ...ROSTER, ...STRANGERS]) {
        if (!state.users[login]) sandbox.addUser(state, login, { email: mail(login) });
      }
      acme.members.olive = 'admin';
      for (const login of ON_SERVICE) acme.members[login] = 'member';
      state.tokens[sandbox.SANDBOX_TOKEN] = { kind: 'pat', login: 'olive', scopes: ['admin:org'] };
    },
  },
  slack: {
    instance: 'slack-eng',
    page: 200,
    access: null,
    checkAs: [mail('p0450'), mail('p0950')],
    async seed(_sandbox, state) {
      Object.assign(state.limits, { tier2: 10_000, tier3: 10_000 });
      for (const name of ON_SERVICE) {
        state.users.push({
          id: `U2${String(state.nextId++).padStart(8, '0')}`,
          name,
          realName: name,
          email: mail(name),
          deleted: false,
          invited: false,
          isBot: false,
          isAdmin: false,
          isOwner: false,
          isPrimaryOwner: false,
          updated: 1_767_225_600,
        });
      }
    },
  },
  trello: {
    instance: 'trello-acme',
    // Every membership, members included, comes in one request.
    page: Number.POSITIVE_INFINITY,
    access: 'admin',
    checkAs: ['p0450', 'p0950'],
    async seed(sandbox, state) {
      Object.assign(state.accounts[0], { username: 'olive', email: mail('olive') });
      const org = state.organizations.find((o) => o.name === 'acme');
      for (const username of [...ROSTER, ...STRANGERS]) {
        const account = {
          id: sandbox.nextId(state),
          username,
          fullName: username,
          email: mail(username),
          confirmed: true,
          memberType: 'normal',
        };
        state.accounts.push(account);
        if (username < 'p0900' || username.startsWith('s')) {
          org.memberships.push({
            id: sandbox.nextId(state),
            idMember: account.id,
            memberType: 'normal',
            unconfirmed: false,
            deactivated: false,
          });
        }
      }
    },
  },
  gdrive: {
    instance: 'gdrive-eng',
    page: 100,
    access: 'writer',
    checkAs: [mail('p0450'), mail('p0950')],
    identity: (sandbox) => sandbox.SANDBOX_OWNER,
    async seed(sandbox, state) {
      const folder = state.items.get('folder-empty');
      for (const name of ON_SERVICE) {
        folder.permissions.push({
          id: sandbox.permissionIdFor(mail(name)),
          type: 'user',
          role: 'reader',
          emailAddress: mail(name),
        });
      }
    },
  },
};

/** Connector types installed at the root (its `@orchester/connector-*` dev dependencies). */
export function installedTypes() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((n) => n.startsWith('@orchester/connector-'))
    .map((n) => n.slice('@orchester/connector-'.length))
    .sort();
}

/**
 * Each installed connector's emulator, started empty and seeded as SERVICES says, with what a
 * registry needs to reach it. `started` holds each emulator, for closing.
 */
export async function startSeededEmulators() {
  const started = [];
  const connectors = [];
  const instances = {};
  try {
    for (const type of installedTypes()) {
      const service = SERVICES[type];
      if (!service) {
        console.log(`  ${type}: no seeder for its emulator in this bench; skipped`);
        continue;
      }
      const sandbox = await import(`@orchester/connector-${type}/sandbox`);
      const connector = (await import(`@orchester/connector-${type}`)).default;
      const emulator = await sandbox.default.start({ seed: 'empty' });
      await service.seed(sandbox, emulator.state);
      const { base_url: _url, ...block } = emulator.configBlock();
      started.push({ type, service, emulator, sandbox });
      connectors.push(connector);
      instances[service.instance] = { type, block, baseUrl: emulator.url };
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.emulator.close()));
    throw error;
  }
  return { started, connectors, instances };
}

export async function run() {
  const { started, connectors, instances } = await startSeededEmulators();
  try {
    const registry = testing.registryFor(connectors, instances);
    const olive = { github: 'olive', trello: 'olive' };
    for (const s of started) if (s.service.identity) olive[s.type] = s.service.identity(s.sandbox);
    const names = started.map((s) => s.service.instance);
    const roster = await core.parseRoster(
      {
        instances: Object.fromEntries(names.map((n) => [n, { prune: true, maxRemovalRatio: 1 }])),
        people: [
          {
            name: 'Olive Owner',
            email: mail('olive'),
            identities: olive,
            access: Object.fromEntries(started.map((s) => [s.service.instance, s.service.access])),
          },
          ...ROSTER.map((p) => ({
            name: p,
            email: mail(p),
            identities: { github: p, trello: p },
            access: names,
          })),
        ],
      },
      'bench-roster.yaml',
      registry,
    );
    for (const s of started) s.emulator.clearRequests();

    const t0 = performance.now();
    const plan = await core.plan(roster, registry);
    const ms = performance.now() - t0;
    console.log(
      `${roster.people.length} people on ${started.length} emulators (real SDKs); plan took ${ms.toFixed(0)} ms`,
    );

    let allOk = true;
    for (const { type, service, emulator } of started) {
      const calls = emulator.requests.length;
      const ip = plan.instances.find((i) => i.instance === service.instance);
      const members = ip.current.members + ip.current.invited + ip.current.deactivated;
      // One check on a warm instance, to count what the per-person way pays for each person:
      // for a member halfway down the list, and for someone absent (the 100 to add).
      const live = await registry.instance(service.instance);
      // Warm up with one absent person: GitHub looks its organization up once per instance.
      await live.check(service.checkAs[1].replace('p0950', 'p0999'));
      const perCheck = [];
      for (const who of service.checkAs) {
        emulator.clearRequests();
        await live.check(who);
        perCheck.push(emulator.requests.length);
      }
      const [member, absent] = perCheck;
      const people = roster.people.length;
      const perPerson =
        member === absent
          ? `${people} checks × ${member} = ${people * member} calls`
          : `${people} checks × ${member} (member) to ${absent} (absent) = ${people * member}–${people * absent} calls`;
      const pages = Number.isFinite(service.page) ? Math.ceil(members / service.page) : 1;
      const budget = pages + 3;
      const ok = calls <= budget;
      allOk &&= ok;
      const pageText = Number.isFinite(service.page) ? `ceil(${members}/${service.page})` : '1';
      report(
        `  ${service.instance} (${type}, ${members} members, ${ip.changes.length} changes)`,
        calls,
        ` calls; per-person: ${perPerson}, seed ${people * SEED_CALLS_PER_CHECK} calls`,
        `≤ ${pageText} + 3 = ${budget}`,
        ok,
      );
    }
    await registry.close();
    return allOk;
  } finally {
    await Promise.all(started.map((s) => s.emulator.close()));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
