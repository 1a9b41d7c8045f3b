/** The emulator's world: accounts, and one group's members with their access levels. */
export interface SandboxState {
  users: Array<{ id: number; username: string }>;
  groups: Array<{
    id: number;
    path: string;
    members: Array<{ userId: number; accessLevel: number }>;
  }>;
}

/** The token `configFor` hands out, one that may only read, and one the service refuses. */
export const SANDBOX_TOKEN = 'sandbox-token-owner';
export const SANDBOX_READ_ONLY_TOKEN = 'sandbox-token-reader';

const users = () =>
  ['alice', 'bob', 'carol', 'dave', 'erin'].map((username, i) => ({ id: i + 1, username }));

/** `acme`: alice owns it, bob is a developer, carol a maintainer; dave and erin are not in it. */
export function demoState(): SandboxState {
  return {
    users: users(),
    groups: [
      {
        id: 100,
        path: 'acme',
        members: [
          { userId: 1, accessLevel: 50 },
          { userId: 2, accessLevel: 30 },
          { userId: 3, accessLevel: 40 },
        ],
      },
    ],
  };
}

/** `acme` with nobody in it yet. */
export function emptyState(): SandboxState {
  return { users: users(), groups: [{ id: 100, path: 'acme', members: [] }] };
}
