import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { FileIdentityStore } from './file-identity-store.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'orch-ids-')), 'nested', 'identities.json');

describe('FileIdentityStore', () => {
  it('keeps e-mail -> id per instance in an owner-only file in an owner-only folder', async () => {
    const path = fresh();
    const store = new FileIdentityStore(path);
    const trello = store.forInstance('trello-acme');
    await trello.set('bob@example.com', '5a0000000000000000000001');
    await store.forInstance('trello-other').set('bob@example.com', '5a0000000000000000000002');

    expect(await trello.get('bob@example.com')).toBe('5a0000000000000000000001');
    expect(await trello.get('eve@example.com')).toBeUndefined();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(await store.list()).toEqual([
      { instance: 'trello-acme', email: 'bob@example.com', id: '5a0000000000000000000001' },
      { instance: 'trello-other', email: 'bob@example.com', id: '5a0000000000000000000002' },
    ]);

    await trello.delete('bob@example.com');
    expect(await trello.get('bob@example.com')).toBeUndefined();
    expect([...(await store.forInstance('trello-other').entries())]).toEqual([
      ['bob@example.com', '5a0000000000000000000002'],
    ]);
  });

  it('breaks a lock left by a process that is gone', async () => {
    const path = fresh();
    const store = new FileIdentityStore(path, { lockTimeoutMs: 2_000 });
    await store.forInstance('trello').set('a@example.com', '1');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(`${path}.lock`, gone.stdout);
    await store.forInstance('trello').set('b@example.com', '2');
    expect((await store.forInstance('trello').entries()).size).toBe(2);
  });

  it('fails naming the file when a live process holds the lock past the timeout', async () => {
    const path = fresh();
    const store = new FileIdentityStore(path, { lockTimeoutMs: 50 });
    await store.forInstance('trello').set('a@example.com', '1');
    writeFileSync(`${path}.lock`, String(process.pid));
    await expect(store.forInstance('trello').set('b@example.com', '2')).rejects.toThrow(
      /stayed locked .* remove .*identities\.json\.lock/,
    );
    expect(await store.forInstance('trello').get('b@example.com')).toBeUndefined();
  });

  it('refuses a file it cannot read as an identity file, naming it', async () => {
    const path = fresh();
    const store = new FileIdentityStore(path);
    await store.forInstance('trello').set('a@example.com', '1');
    writeFileSync(path, '{ not json');
    const failure = store.forInstance('trello').get('a@example.com');
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(path);
    expect(readFileSync(path, 'utf8')).toBe('{ not json');
  });
});
