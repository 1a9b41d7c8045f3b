import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConfigError,
  type IdentityEntry,
  type IdentityMap,
  type IdentityStore,
  sortIdentityEntries,
} from '@orchester/core';

/** The file's content: instance -> e-mail -> service id. */
interface IdentityFile {
  version: 1;
  instances: Record<string, Record<string, string>>;
}

export interface FileIdentityStoreOptions {
  /** How long a writer waits for another one's lock before failing (default 10 s). */
  readonly lockTimeoutMs?: number;
  /** A lock older than this is taken to be left by a process that died (default 30 s). */
  readonly staleLockMs?: number;
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

/**
 * The identity maps in one owner-only (0600) JSON file, for commands that run without a queue.
 * A write takes a lock file (`O_EXCL`), re-reads the file, applies its one change to what it
 * read, writes a temporary file and renames it over the old one: two processes writing at once
 * both keep their change, and a reader sees the old file or the new one, never half of one.
 */
export class FileIdentityStore implements IdentityStore {
  private readonly lockPath: string;
  private readonly lockTimeoutMs: number;
  private readonly staleLockMs: number;

  constructor(
    readonly path: string,
    options: FileIdentityStoreOptions = {},
  ) {
    this.lockPath = `${path}.lock`;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.staleLockMs = options.staleLockMs ?? 30_000;
  }

  private read(): IdentityFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return { version: 1, instances: {} };
      throw this.failure('cannot be read', error);
    }
    try {
      const parsed = JSON.parse(text) as Partial<IdentityFile>;
      if (typeof parsed.instances !== 'object' || parsed.instances === null) throw new Error();
      return { version: 1, instances: parsed.instances };
    } catch (error) {
      throw this.failure('is not an identity file orchester wrote (unreadable JSON)', error);
    }
  }

  private failure(what: string, error: unknown): ConfigError {
    return new ConfigError(
      `identity file ${this.path} ${what} (${errnoOf(error) ?? 'error'}); fix or move it, or set "audit": {"path": "..."} in config to keep it elsewhere`,
      { cause: error },
    );
  }

  /** Takes the lock, waiting for another writer; breaks a lock whose process is gone. */
  private async lock(): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + this.lockTimeoutMs;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        writeFileSync(fd, String(process.pid));
        closeSync(fd);
        return;
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') throw this.failure('cannot be locked', error);
      }
      if (this.breakStaleLock()) continue;
      if (Date.now() > deadline) {
        throw new ConfigError(
          `identity file ${this.path} stayed locked for ${this.lockTimeoutMs} ms by another orchester process; try again, or remove ${this.lockPath} if no orchester command is running`,
        );
      }
      await sleep(wait);
    }
  }

  private breakStaleLock(): boolean {
    try {
      const pid = Number(readFileSync(this.lockPath, 'utf8'));
      const age = Date.now() - statSync(this.lockPath).mtimeMs;
      // An empty file is a lock being written this instant, unless it is old.
      const dead = pid > 0 ? !isAlive(pid) : age > this.staleLockMs;
      if (!dead && age <= this.staleLockMs) return false;
      unlinkSync(this.lockPath);
      return true;
    } catch {
      // Gone between our attempt and this look: try again at once.
      return true;
    }
  }

  /** Applies one change to the file as it is now, under the lock. */
  private async update(change: (file: IdentityFile) => void): Promise<void> {
    await this.lock();
    try {
      const file = this.read();
      change(file);
      const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        renameSync(temp, this.path);
      } catch (error) {
        try {
          unlinkSync(temp);
        } catch {
          // never written
        }
        throw this.failure('cannot be written', error);
      }
    } finally {
      try {
        unlinkSync(this.lockPath);
      } catch {
        // broken as stale by another process: nothing to release
      }
    }
  }

  forInstance(instance: string): IdentityMap {
    return {
      get: async (email) => this.read().instances[instance]?.[email],
      set: (email, id) =>
        this.update((file) => {
          file.instances[instance] = { ...file.instances[instance], [email]: id };
        }),
      delete: (email) =>
        this.update((file) => {
          const map = file.instances[instance];
          if (!map) return;
          delete map[email];
          if (Object.keys(map).length === 0) delete file.instances[instance];
        }),
      entries: async () => new Map(Object.entries(this.read().instances[instance] ?? {})),
    };
  }

  async list(): Promise<IdentityEntry[]> {
    const all: IdentityEntry[] = [];
    for (const [instance, map] of Object.entries(this.read().instances))
      for (const [email, id] of Object.entries(map)) all.push({ instance, email, id });
    return sortIdentityEntries(all);
  }
}
