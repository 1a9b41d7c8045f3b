import type { DrivePermission, DriveState } from './state.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Permission writes in progress, what became of them, and the hold tests use to line them up. */
export interface AclWriteLog {
  inFlight: number;
  maxInFlight: number;
  /** Writes that landed and changed the ACL, and writes another write overtook. */
  applied: number;
  lost: number;
  /** The writes on their way to each item, by item id. */
  pending: Map<string, Set<PendingWrite>>;
  /** While true, every write waits, once its delay is over, until a test lands it. */
  held: boolean;
  /** Held writes, oldest first: calling one lands that write. */
  parked: Array<() => void>;
}

export function newAclWriteLog(): AclWriteLog {
  return {
    inFlight: 0,
    maxInFlight: 0,
    applied: 0,
    lost: 0,
    pending: new Map(),
    held: false,
    parked: [],
  };
}

/** Makes every permission write wait until `landHeldAclWrite` or `releaseAclWrites` (tests). */
export function holdAclWrites(state: DriveState): void {
  state.aclWrites.held = true;
}

/** Lands the oldest held write; false when none is waiting. */
export function landHeldAclWrite(state: DriveState): boolean {
  const next = state.aclWrites.parked.shift();
  next?.();
  return next !== undefined;
}

/** Stops holding writes and lands every held one, oldest first. */
export function releaseAclWrites(state: DriveState): void {
  state.aclWrites.held = false;
  while (landHeldAclWrite(state));
}

/** One permission write between its arrival and its landing. */
interface PendingWrite {
  overtaken: boolean;
}

/**
 * Carries out one permission write the way Drive documents for concurrent ones: "only the last
 * update is applied". Every write takes `aclWriteDelayMs` to land; a write that another write to
 * the same item overtakes (arrives before it lands) is lost: it is answered like a success and
 * changes nothing. A write no other overtook is applied when it lands, to the ACL as it is then,
 * so nothing that arrives after a write has landed can undo it. `apply` changes the ACL it is
 * given and returns the answer; a lost write's `apply` runs on a copy.
 */
export async function writeAcl<R>(
  state: DriveState,
  item: { id: string; permissions: DrivePermission[] },
  apply: (acl: DrivePermission[]) => R,
): Promise<R> {
  const log = state.aclWrites;
  const pending = log.pending.get(item.id) ?? new Set<PendingWrite>();
  log.pending.set(item.id, pending);
  for (const other of pending) other.overtaken = true;
  const me: PendingWrite = { overtaken: false };
  pending.add(me);
  log.inFlight += 1;
  log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
  try {
    await sleep(state.aclWriteDelayMs);
    if (log.held) await new Promise<void>((land) => log.parked.push(land));
    if (me.overtaken) {
      log.lost += 1;
      return apply(item.permissions.map((p) => ({ ...p })));
    }
    log.applied += 1;
    return apply(item.permissions);
  } finally {
    pending.delete(me);
    log.inFlight -= 1;
  }
}
