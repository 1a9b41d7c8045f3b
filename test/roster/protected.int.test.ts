// Members a service never lets go (Drive's owner, Slack's primary owner) are left alone by a
// pruning plan, instead of being planned for a removal that would fail every time.
import { type ConnectorRegistry, parseRoster, plan } from '@orchester/runtime';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  closeEmulators,
  type Emulators,
  INSTANCES,
  registryOver,
  startEmulators,
} from './emulators.js';

let emulators: Emulators;
let registry: ConnectorRegistry;
beforeEach(async () => {
  emulators = await startEmulators();
  registry = registryOver(emulators);
});
afterEach(async () => {
  await registry?.close();
  await closeEmulators(emulators);
});

it('a pruning plan keeps the Drive owner and the Slack primary owner, though the roster omits them', async () => {
  const roster = await parseRoster(
    {
      instances: {
        [INSTANCES.gdrive]: { prune: true, maxRemovalRatio: 1, minAdmins: 0 },
        [INSTANCES.slack]: { prune: true, maxRemovalRatio: 1, minAdmins: 0 },
      },
      people: [
        { name: 'Ada', email: 'ada@example.com', access: [INSTANCES.gdrive, INSTANCES.slack] },
      ],
    },
    'team.yaml',
    registry,
  );
  const p = await plan(roster, registry);
  for (const instance of p.instances) {
    expect(instance.changes.map((c) => `${c.kind} ${c.identifier}`)).toEqual([
      'add ada@example.com',
    ]);
  }
  const drive = p.instances.find((i) => i.instance === INSTANCES.gdrive)!;
  const slack = p.instances.find((i) => i.instance === INSTANCES.slack)!;
  // Both are still there, counted as left alone.
  expect(drive.unmanaged).toBe(1);
  expect(slack.unmanaged).toBe(1);
});
