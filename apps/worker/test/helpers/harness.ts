import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type MembershipJob, newBatchId, type OrchesterConfig } from '@orchester/runtime';
import { memoryConfig } from '@orchester/runtime/testing';

export const TOY_PACKAGE = resolve(
  fileURLToPath(new URL('../fixtures/connector-toy', import.meta.url)),
);
export const WORKER_BIN = resolve(fileURLToPath(new URL('../../dist/bin.js', import.meta.url)));

/** Settings that make tests quick: short locks and backoff, HTTP on a free port. */
export function quickSections(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    worker: {
      http: { port: 0 },
      lock_duration_ms: 2_000,
      stalled_interval_ms: 1_000,
      shutdown_timeout_ms: 10_000,
      // debug: the per-job 'job done' lines too, so tests can check them (and that no secret is in them).
      log_level: 'debug',
    },
    retry: { attempts: 12, base_delay_ms: 20, max_delay_ms: 200 },
    ...extra,
  };
}

/** A config object over directly given connectors (`registryFor`-style), with sections. */
export function configWith(
  instances: Record<string, string>,
  sections: Record<string, unknown>,
): OrchesterConfig {
  return { ...memoryConfig(instances), sections };
}

/** Writes a config file using the toy connector through `plugins`; answers its path. */
export function writeToyConfig(
  connectors: Record<string, Record<string, unknown>>,
  sections: Record<string, unknown>,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchester-worker-'));
  const path = join(dir, '.orchester.json');
  writeFileSync(
    path,
    JSON.stringify({ plugins: [TOY_PACKAGE], connectors, ...sections }, null, 2),
    { mode: 0o600 },
  );
  return path;
}

/** Collects log lines (pino writes one JSON object per line). */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line) this.lines.push(line);
    done();
  }
  get entries(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export function jobsOf(
  batchId: string,
  rows: Array<[string, MembershipJob['action'], string]>,
): MembershipJob[] {
  return rows.map(([instance, action, identifier]) => ({
    instance,
    action,
    identifier,
    options: {},
    batchId,
  }));
}

export { newBatchId };

export async function waitFor<T>(
  what: string | (() => string),
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
