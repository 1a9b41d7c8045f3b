import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileIdentityStore } from './file-identity-store.js';

const CORE_DIR = new URL('../../', import.meta.url).pathname;

/** One process writing `count` entries through the built store, as `orchest` would. */
function writer(path: string, name: string, count: number): Promise<number> {
  const script = `
    import { FileIdentityStore } from '@orchester/runtime';
    const map = new FileIdentityStore(${JSON.stringify(path)}).forInstance('trello');
    for (let i = 0; i < ${count}; i++) await map.set('${name}-' + i + '@example.com', '${name}-' + i);
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: CORE_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

describe('FileIdentityStore across processes', () => {
  it('keeps every entry when several orchester processes write the file at once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'orch-ids-')), 'identities.json');
    const codes = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => writer(path, name, 25)),
    );
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
    const entries = await new FileIdentityStore(path).forInstance('trello').entries();
    expect(entries.size).toBe(150);
    expect(entries.get('f-24@example.com')).toBe('f-24');
  });
});
