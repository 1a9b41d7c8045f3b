import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@orchester/core';
import { describe, expect, it } from 'vitest';
import { memoryConfig } from '../testing/registry-for.js';
import { AuditLog } from './audit-log.js';
import { actorOf, auditPathOf, auditStreamMaxLenOf } from './audit-path.js';
import { readAuditRecords } from './read-audit.js';
import type { AuditRecord } from './record.js';

const record = (over: Partial<AuditRecord>): AuditRecord => ({
  at: '2026-03-01T10:00:00.000Z',
  actor: 'ops',
  instance: 'github-corp',
  action: 'add',
  identifier: 'octocat',
  outcome: 'added',
  batchId: 'b1',
  jobId: 'b1.github-corp.add.x',
  ...over,
});

describe('audit log', () => {
  it('appends without rewriting and reads back with filters', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'orch-audit-')), 'audit.jsonl');
    writeFileSync(path, `${JSON.stringify(record({ identifier: 'old' }))}\n`);
    const log = new AuditLog(path);
    log.open();
    log.append(
      record({
        at: '2026-03-02T10:00:00.000Z',
        person: 'Ada Lovelace',
        email: 'ada@example.com',
        identifier: 'ada-gh',
      }),
    );
    const { outcome: _none, ...failed } = record({
      at: '2026-03-03T10:00:00.000Z',
      instance: 'slack',
      identifier: 'ada@example.com',
      action: 'remove',
      error: 'ORCH_PERMISSION',
    });
    log.append(failed);
    appendFileSync(path, '{"cut short');
    const all = readAuditRecords(path);
    expect(all.records.map((r) => r.identifier)).toEqual(['old', 'ada-gh', 'ada@example.com']);
    expect(all.unreadableLines).toBe(1);
    expect(
      readFileSync(path, 'utf8').startsWith(JSON.stringify(record({ identifier: 'old' }))),
    ).toBe(true);
    const ids = (f: Parameters<typeof readAuditRecords>[1]) =>
      readAuditRecords(path, f).records.map((r) => r.identifier);
    expect(ids({ since: new Date('2026-03-02T00:00:00Z') })).toEqual(['ada-gh', 'ada@example.com']);
    expect(ids({ person: 'ADA@example.com' })).toEqual(['ada-gh', 'ada@example.com']);
    expect(ids({ person: 'ada lovelace' })).toEqual(['ada-gh']);
    expect(ids({ instance: 'slack' })).toEqual(['ada@example.com']);
    expect(readAuditRecords(join(path, '..', 'none.jsonl')).records).toEqual([]);
  });

  it('a folder it cannot create is a config error naming the path and the setting', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'orch-audit-')), 'plain-file');
    writeFileSync(file, '');
    const log = new AuditLog(join(file, 'audit.jsonl'));
    expect(() => log.open()).toThrow(ConfigError);
    expect(() => log.open()).toThrow(
      /audit file .*plain-file\/audit\.jsonl cannot be written .*"audit": \{"path"/,
    );
  });

  it('takes the path and the actor from config', () => {
    const config = {
      ...memoryConfig({}),
      dir: '/etc/orch',
      actor: 'alice',
      sections: { audit: { path: 'logs/a.jsonl' } },
    };
    expect(auditPathOf(config, '/home/x')).toBe('/etc/orch/logs/a.jsonl');
    expect(auditPathOf({ ...config, sections: { audit: { path: '~/a.jsonl' } } }, '/home/x')).toBe(
      '/home/x/a.jsonl',
    );
    expect(auditPathOf({ ...config, sections: {} }, '/home/x')).toBe(
      '/home/x/.orchester/audit.jsonl',
    );
    expect(actorOf(config)).toBe('alice');
    expect(actorOf({ ...config, actor: undefined })).toMatch(/\S/);
    expect(auditStreamMaxLenOf(config)).toBe(100_000);
    expect(auditStreamMaxLenOf({ ...config, sections: { audit: { stream_max_len: 5_000 } } })).toBe(
      5_000,
    );
    expect(() =>
      auditStreamMaxLenOf({ ...config, sections: { audit: { stream_max_len: 10 } } }),
    ).toThrow(/audit\.stream_max_len.*at least 1000/);
    expect(() => auditPathOf({ ...config, sections: { audit: { file: 'x' } } })).toThrow(
      /audit: unknown key "file"/,
    );
  });
});
