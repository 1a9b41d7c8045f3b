// Redis Cluster and Sentinel set-ups of a test's own: every process on a free loopback port with
// its own temp folder, no snapshots, stopped (and folders removed) by `destroy`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { waitFor } from './harness.js';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/** One redis-server process (a data node or a sentinel). */
export interface RedisProcess {
  readonly port: number;
  readonly dir: string;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a node that is there but answers nothing, as under a stall. */
  pause(): void;
  resume(): void;
  /** Starts it again with the same arguments, port and folder. */
  start(): Promise<void>;
  readonly alive: boolean;
  /** What the process printed (its log), for a failure's message. */
  output(): string;
}

async function startProcess(
  port: number,
  dir: string,
  args: readonly string[],
  all: RedisProcess[],
): Promise<RedisProcess> {
  let child: ChildProcess | undefined;
  let out = '';
  const start = async () => {
    const proc = spawn('redis-server', [...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server on ${port} did not start: ${out}`)),
        15_000,
      );
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // A sentinel says neither of the data node's lines; its ID line comes once it runs.
        if (/Ready to accept connections|Sentinel ID is/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server on ${port} exited with ${code}: ${out}`));
      });
    });
  };
  const node: RedisProcess = {
    port,
    dir,
    get alive() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    start,
    output: () => out,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    kill: async () => {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    },
  };
  all.push(node);
  await start();
  return node;
}

const common = (port: number, dir: string) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--protected-mode',
  'yes',
];

async function stopAll(all: readonly RedisProcess[]): Promise<void> {
  await Promise.all(all.map((p) => p.kill().catch(() => undefined)));
  for (const p of all) rmSync(p.dir, { recursive: true, force: true });
}

export interface TestCluster {
  readonly nodes: readonly RedisProcess[];
  /** `redis://127.0.0.1:PORT` of every node, for `redis.cluster.nodes`. */
  readonly urls: readonly string[];
  /** The master that serves `key`'s slot now. */
  masterOf(key: string): Promise<RedisProcess>;
  /** Waits until every live node reports `cluster_state:ok`. */
  healthy(timeoutMs?: number): Promise<void>;
  /** Waits until a replica of `master` holds every write the master had when this was called. */
  replicaCaughtUp(master: RedisProcess, timeoutMs?: number): Promise<void>;
  /** The replica of `master` (the first, when it has several). */
  replicaOf(master: RedisProcess): Promise<RedisProcess>;
  destroy(): Promise<void>;
}

/**
 * A Redis Cluster of `masters` masters, each with `replicas` replicas, created with
 * `redis-cli --cluster create`. A short `cluster-node-timeout` makes a failover quick; the bus
 * port of each node is a second free port (`cluster-port`).
 */
export async function startRedisCluster(options: {
  masters: number;
  replicas?: number;
  nodeTimeoutMs?: number;
}): Promise<TestCluster> {
  const all: RedisProcess[] = [];
  try {
    const count = options.masters * (1 + (options.replicas ?? 0));
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const bus = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'orchester-cluster-'));
      await startProcess(
        port,
        dir,
        [
          ...common(port, dir),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, 'nodes.conf'),
          '--cluster-node-timeout',
          String(options.nodeTimeoutMs ?? 2_000),
          '--cluster-port',
          String(bus),
          // Replicas sync at once rather than after the default 5 s pause.
          '--repl-diskless-sync-delay',
          '0',
        ],
        all,
      );
    }
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...all.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        String(options.replicas ?? 0),
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    const healthy = async (timeoutMs = 30_000) => {
      await waitFor(
        'cluster_state:ok on every live node',
        async () => {
          for (const node of all.filter((n) => n.alive)) {
            const info = await ask(node.port, ['cluster', 'info']);
            if (!String(info).includes('cluster_state:ok')) return false;
          }
          return true;
        },
        timeoutMs,
        200,
      );
    };
    await healthy();
    // Every node must know every replica before a failover can pick one.
    await waitFor(
      'every node to see the whole cluster',
      async () => {
        for (const node of all) {
          const nodes = String(await ask(node.port, ['cluster', 'nodes']));
          const known = nodes.split('\n').filter((l) => l.includes('connected')).length;
          if (known < all.length) return false;
        }
        return true;
      },
      30_000,
      200,
    );
    // A replica that has not synced with its master cannot take over from it.
    const replicas = options.masters * (options.replicas ?? 0);
    await waitFor(
      `${replicas} replicas in sync`,
      async () => {
        let synced = 0;
        for (const node of all) {
          const info = String(await ask(node.port, ['info', 'replication']));
          if (info.includes('role:slave') && info.includes('master_link_status:up')) synced += 1;
        }
        return synced === replicas;
      },
      30_000,
      200,
    );
    return {
      nodes: all,
      urls: all.map((n) => `redis://127.0.0.1:${n.port}`),
      healthy,
      async masterOf(key) {
        const live = all.find((n) => n.alive)!;
        const slot = Number(await ask(live.port, ['cluster', 'keyslot', key]));
        const slots = (await ask(live.port, ['cluster', 'slots'])) as Array<
          [number, number, [string, number]]
        >;
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        const node = all.find((n) => n.port === range?.[2][1]);
        if (!node) throw new Error(`no master serves slot ${slot}`);
        return node;
      },
      async replicaCaughtUp(master, timeoutMs = 30_000) {
        const info = String(await ask(master.port, ['info', 'replication']));
        const target = Number(/master_repl_offset:(\d+)/.exec(info)?.[1] ?? Number.NaN);
        await waitFor(
          `a replica of ${master.port} at offset ${target}`,
          // Asked of the replicas themselves: the master hears their offsets only once a second.
          async () => {
            for (const node of all) {
              if (!node.alive || node === master) continue;
              const info = String(await ask(node.port, ['info', 'replication']));
              if (!info.includes(`master_port:${master.port}`)) continue;
              const offset = Number(/slave_repl_offset:(\d+)/.exec(info)?.[1] ?? -1);
              if (offset >= target) return true;
            }
            return false;
          },
          timeoutMs,
          50,
        );
      },
      async replicaOf(master) {
        const info = String(await ask(master.port, ['info', 'replication']));
        const port = Number(/^slave0:.*port=(\d+)/m.exec(info)?.[1]);
        const replica = all.find((n) => n.port === port);
        if (!replica) throw new Error(`${master.port} has no replica: ${info}`);
        return replica;
      },
      destroy: async () => {
        for (const node of all) node.resume();
        await stopAll(all);
      },
    };
  } catch (error) {
    await stopAll(all);
    throw error;
  }
}

/** One command on one node, answered or thrown within 2 s. */
async function ask(port: number, command: string[]): Promise<unknown> {
  const redis = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await redis.call(command[0]!, ...command.slice(1));
  } finally {
    redis.disconnect();
  }
}

/** A master and one replica of it, in sync. */
async function startMasterAndReplica(
  all: RedisProcess[],
): Promise<{ master: RedisProcess; replica: RedisProcess }> {
  const masterPort = await freePort();
  const masterDir = mkdtempSync(join(tmpdir(), 'orchester-replicated-'));
  // Without the delay, a replica syncs at once instead of after Redis's default 5 s.
  const master = await startProcess(
    masterPort,
    masterDir,
    [...common(masterPort, masterDir), '--repl-diskless-sync-delay', '0'],
    all,
  );
  const replicaPort = await freePort();
  const replicaDir = mkdtempSync(join(tmpdir(), 'orchester-replicated-'));
  const replica = await startProcess(
    replicaPort,
    replicaDir,
    [...common(replicaPort, replicaDir), '--replicaof', '127.0.0.1', String(masterPort)],
    all,
  );
  await waitFor(
    'the replica to sync',
    async () =>
      String(await ask(replicaPort, ['info', 'replication'])).includes('master_link_status:up'),
    30_000,
    100,
  );
  return { master, replica };
}

export interface TestReplicated {
  readonly master: RedisProcess;
  readonly replica: RedisProcess;
  /** `redis://127.0.0.1:PORT` of the master. */
  readonly url: string;
  destroy(): Promise<void>;
}

/** A master with one replica and no sentinels: replication without failover. */
export async function startRedisReplicated(): Promise<TestReplicated> {
  const all: RedisProcess[] = [];
  try {
    const { master, replica } = await startMasterAndReplica(all);
    return {
      master,
      replica,
      url: `redis://127.0.0.1:${master.port}`,
      destroy: async () => {
        replica.resume();
        await stopAll(all);
      },
    };
  } catch (error) {
    await stopAll(all);
    throw error;
  }
}

export interface TestSentinel {
  readonly master: RedisProcess;
  readonly replica: RedisProcess;
  readonly sentinels: readonly RedisProcess[];
  /** `redis://127.0.0.1:PORT` of each sentinel, for `redis.sentinel.nodes`. */
  readonly urls: readonly string[];
  readonly name: string;
  /** The port the sentinels now name as master. */
  masterPort(): Promise<number>;
  destroy(): Promise<void>;
}

/**
 * A master, one replica and three sentinels (quorum 2) watching them as `mymaster`, with short
 * down-after and failover timeouts so a failover takes a few seconds.
 */
export async function startRedisSentinel(
  options: { downAfterMs?: number; failoverTimeoutMs?: number } = {},
): Promise<TestSentinel> {
  const all: RedisProcess[] = [];
  const name = 'mymaster';
  try {
    const { master, replica } = await startMasterAndReplica(all);
    const masterPort = master.port;
    const sentinels: RedisProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'orchester-sentinel-'));
      const file = join(dir, 'sentinel.conf');
      // A sentinel rewrites its config file as it learns, so each has its own.
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1_000}`,
          `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 5_000}`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      sentinels.push(await startProcess(port, dir, [file, '--sentinel'], all));
    }
    // A failover needs each sentinel to know the replica and the other sentinels (quorum 2).
    await waitFor(
      'the sentinels to find the replica and each other',
      async () => {
        for (const s of sentinels) {
          const replicas = (await ask(s.port, ['sentinel', 'replicas', name])) as unknown[];
          const others = (await ask(s.port, ['sentinel', 'sentinels', name])) as unknown[];
          if (replicas.length < 1 || others.length < 2) return false;
        }
        return true;
      },
      30_000,
      200,
    );
    return {
      master,
      replica,
      sentinels,
      name,
      urls: sentinels.map((s) => `redis://127.0.0.1:${s.port}`),
      async masterPort() {
        const live = sentinels.find((s) => s.alive)!;
        const [, port] = (await ask(live.port, ['sentinel', 'get-master-addr-by-name', name])) as [
          string,
          string,
        ];
        return Number(port);
      },
      destroy: () => stopAll(all),
    };
  } catch (error) {
    await stopAll(all);
    throw error;
  }
}
