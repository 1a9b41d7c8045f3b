import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RedisIdentityStore } from '@orchester/queue';
import { FileIdentityStore } from '@orchester/runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orchest as runOrchest } from '../test/helpers/cli.js';
import { quickSections, writeToyConfig } from '../test/helpers/harness.js';
import { freePort, startRedis, type TestRedis } from '../test/helpers/redis-server.js';
import { startToy, type ToyEmulator } from '../test/helpers/toy.js';
import { startWorker } from './main.js';

let redis: TestRedis;
let emulator: ToyEmulator;
let configPath: string;

/** The CLI as people run it, on this test's Redis unless `env` says otherwise. */
const orchest = (args: string[], env: Record<string, string> = {}, config = configPath) =>
  runOrchest(args, config, { REDIS_URL: redis.url, ...env });

beforeAll(async () => {
  redis = await startRedis();
  emulator = await startToy(['ada']);
  configPath = writeToyConfig({ 'toy-a': emulator.configBlock() }, quickSections());
});

afterAll(async () => {
  await emulator?.close();
  await redis?.destroy();
});

describe('orchest batch', () => {
  it('refuses a batch with one bad row, naming it, and enqueues nothing', async () => {
    const file = join(dirname(configPath), 'bad.csv');
    writeFileSync(
      file,
      'instance,action,identifier,role\ntoy-a,add,alice,\ntoy-a,add,bob,boss\ntoy-a,remove,carol,\n',
    );
    const result = await orchest(['batch', 'apply', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('row 3: role:');
    expect(result.stderr).toContain('nothing was enqueued');
    const raw = new Redis(redis.url);
    try {
      expect(await raw.keys('*')).toEqual([]);
    } finally {
      raw.disconnect();
    }
  });

  it('runs a batch inline with the same report, without Redis', async () => {
    const file = join(dirname(configPath), 'good.yaml');
    writeFileSync(
      file,
      '- {instance: toy-a, action: add, identifier: bob}\n- {instance: toy-a, action: rm, identifier: ada}\n- {instance: toy-a, action: check, identifier: zoe}\n',
    );
    const result = await orchest(['batch', 'apply', file, '--inline', '--json'], {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      totals: { jobs: 3, succeeded: 3, byResult: { added: 1, removed: 1, absent: 1 } },
    });
    expect([...emulator.state.members]).toEqual(['bob']);
    // Inline work appends to the audit file: the two changes, not the check.
    const audit = readFileSync(join(dirname(configPath), '.orchester', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit.map((r) => [r.action, r.identifier, r.outcome]).sort()).toEqual([
      ['add', 'bob', 'added'],
      ['remove', 'ada', 'removed'],
    ]);
  });

  it('--dry-run checks row by row where the connector cannot list, and changes nothing', async () => {
    const file = join(dirname(configPath), 'dry.csv');
    writeFileSync(
      file,
      'instance,action,identifier,role\ntoy-a,add,ada,\ntoy-a,add,newbie,admin\ntoy-a,remove,ada,\n',
    );
    const members = [...emulator.state.members].sort();
    emulator.clearRequests();
    const result = await orchest(['batch', 'apply', file, '--dry-run', '--json'], {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    // Adding and removing one person in one batch is refused before anything is read.
    expect(result.code).toBe(2);
    expect(emulator.requests).toEqual([]);
    writeFileSync(
      file,
      'instance,action,identifier,role\ntoy-a,add,ada,\ntoy-a,add,newbie,admin\n',
    );
    const dry = await orchest(['batch', 'apply', file, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const out = JSON.parse(dry.stdout) as { rows: Array<{ identifier: string; would: string }> };
    const ada = members.includes('ada');
    expect(out.rows.map((r) => `${r.identifier} ${r.would}`)).toEqual([
      `ada ${ada ? 'already-member' : 'add'}`,
      'newbie add',
    ]);
    // The toy cannot list: one check per row, and no write.
    expect(emulator.requests.map((r) => `${r.method} ${r.path.split('/').at(-1)}`)).toEqual([
      'GET ada',
      'GET newbie',
    ]);
    expect([...emulator.state.members].sort()).toEqual(members);
  });

  it('reports an inline batch later, as CSV, with Redis down or up', async () => {
    const file = join(dirname(configPath), 'later.csv');
    writeFileSync(file, 'instance,action,identifier\ntoy-a,add,gil\ntoy-a,check,nobody-here\n');
    const down = { REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
    const ran = await orchest(['batch', 'apply', file, '--inline', '--id', 'inline-later'], down);
    expect(ran.code).toBe(0);
    for (const env of [down, {}]) {
      const csv = await orchest(['batch', 'report', 'inline-later', '--format', 'csv'], env);
      expect(csv.code).toBe(0);
      const [header, ...rows] = csv.stdout.trim().split('\n');
      expect(header).toBe(
        'instance,action,identifier,result,error_code,message,attempts,finished_at,confirmed_on_retry,failed_change',
      );
      expect(rows.map((r) => r.split(',').slice(0, 4).join(','))).toEqual([
        'toy-a,add,gil,added',
        'toy-a,check,nobody-here,absent',
      ]);
      const status = await orchest(['batch', 'status', 'inline-later'], env);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('batch inline-later (ran inline');
      expect(status.stdout).toContain('2/2 done (2 ok, 0 failed)');
    }
    const json = await orchest(['batch', 'status', 'inline-later', '--json'], down);
    expect(JSON.parse(json.stdout)).toMatchObject({ inline: true, total: 2, finished: true });
    // The report sits beside the audit file, owner-only.
    const kept = join(dirname(configPath), '.orchester', 'batches', 'inline-later.jsonl');
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    // A batch that is neither kept nor in Redis says where it looked.
    const none = await orchest(['batch', 'report', 'no-such-batch'], down);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no report of an inline batch no-such-batch is kept in');
    expect(none.stderr).toContain('cannot reach Redis');
  });

  it('fails within 2 s naming the Redis URL and suggesting --inline when Redis is down', async () => {
    const file = join(dirname(configPath), 'one.json');
    writeFileSync(
      file,
      JSON.stringify([{ instance: 'toy-a', action: 'check', identifier: 'bob' }]),
    );
    const url = `redis://:hunter2-password@127.0.0.1:${await freePort()}`;
    // What the CLI takes to start and refuse a batch before Redis, on this machine right now:
    // the wait for Redis is what comes on top of it.
    const bad = join(dirname(configPath), 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify([{ instance: 'toy-a', action: 'promote', identifier: 'bob' }]),
    );
    let started = Date.now();
    expect((await orchest(['batch', 'apply', bad], { REDIS_URL: url })).code).toBe(2);
    const startUp = Date.now() - started;
    started = Date.now();
    const result = await orchest(['batch', 'apply', file], { REDIS_URL: url });
    // 2 s of trying, with a second's slack for a busy machine.
    expect(Date.now() - started - startUp).toBeLessThan(3_000);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/);
    expect(result.stderr).toContain('--inline');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('audit shows queued work from Redis merged with the file, and the file alone when Redis is down', async () => {
    const config = writeToyConfig(
      { 'toy-a': emulator.configBlock() },
      quickSections({ actor: 'cli-tester', audit: { path: 'audit.jsonl' } }),
    );
    const inline = {
      at: '2020-01-01T00:00:00.000Z',
      actor: 'someone',
      instance: 'toy-a',
      action: 'add',
      identifier: 'old-hand',
      outcome: 'added',
      batchId: 'b-inline',
      jobId: 'b-inline.toy-a.add.x',
    };
    writeFileSync(join(dirname(config), 'audit.jsonl'), `${JSON.stringify(inline)}\n`);
    const file = join(dirname(config), 'queued.csv');
    writeFileSync(file, 'instance,action,identifier\ntoy-a,add,erin\ntoy-a,check,erin\n');
    const worker = await startWorker({
      configPath: config,
      env: { REDIS_URL: redis.url },
      logDestination: { write() {} },
    });
    try {
      const applied = await orchest(['batch', 'apply', file, '--wait', '--json'], {}, config);
      expect(applied.code).toBe(0);
    } finally {
      await worker.stop();
    }
    const both = await orchest(['audit', '--json', '--instance', 'toy-a'], {}, config);
    expect(both.code).toBe(0);
    const records = JSON.parse(both.stdout) as Array<Record<string, string>>;
    expect(records.map((r) => [r.actor, r.action, r.identifier, r.outcome])).toEqual([
      ['someone', 'add', 'old-hand', 'added'],
      ['cli-tester', 'add', 'erin', 'added'],
    ]);
    const url = `redis://:hunter2-password@127.0.0.1:${await freePort()}`;
    const fileOnly = await orchest(['audit', '--json'], { REDIS_URL: url }, config);
    expect(fileOnly.code).toBe(0);
    expect(JSON.parse(fileOnly.stdout)).toEqual([inline]);
    expect(fileOnly.stderr).toMatch(
      /note: .*cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+/,
    );
    expect(fileOnly.stderr).toContain('audit file only');
    expect(fileOnly.stderr).not.toContain('hunter2');
  });

  it('audit --identities lists the e-mail -> id maps of the file and of Redis, per instance', async () => {
    const config = writeToyConfig(
      { 'toy-a': emulator.configBlock() },
      quickSections({ audit: { path: 'audit.jsonl' } }),
    );
    const file = new FileIdentityStore(join(dirname(config), 'identities.json'));
    await file.forInstance('trello-acme').set('bob@example.com', '5a0000000000000000000b0b');
    const raw = new Redis(redis.url);
    try {
      const queued = new RedisIdentityStore(raw, 'orchester');
      await queued.forInstance('trello-acme').set('eve@example.com', '5a0000000000000000000e7e');
      await queued.forInstance('trello-acme').set('gone@example.com', '5a000000000000000000060e');
      await queued.forInstance('trello-acme').delete('gone@example.com');
      await queued.forInstance('trello-other').set('eve@example.com', '5a0000000000000000000001');
      expect([...(await queued.forInstance('trello-acme').entries())]).toEqual([
        ['eve@example.com', '5a0000000000000000000e7e'],
      ]);
    } finally {
      raw.disconnect();
    }
    const listed = await orchest(
      ['audit', '--identities', '--json', '--instance', 'trello-acme'],
      {},
      config,
    );
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        instance: 'trello-acme',
        email: 'bob@example.com',
        id: '5a0000000000000000000b0b',
        kept: join(dirname(config), 'identities.json'),
      },
      {
        instance: 'trello-acme',
        email: 'eve@example.com',
        id: '5a0000000000000000000e7e',
        kept: 'redis',
      },
    ]);
    const text = await orchest(['audit', '--identities'], {}, config);
    expect(text.stdout).toContain(
      'trello-other  eve@example.com  5a0000000000000000000001  (redis)',
    );

    const down = await orchest(
      ['audit', '--identities'],
      { REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
      config,
    );
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('trello-acme  bob@example.com  5a0000000000000000000b0b');
    expect(down.stdout).not.toContain('eve@example.com');
    expect(down.stderr).toMatch(/note: queued work's identities are not shown: cannot reach Redis/);

    const refused = await orchest(['audit', '--identities', '--since', '7d'], {}, config);
    expect(refused.code).toBe(2);
  });
});
