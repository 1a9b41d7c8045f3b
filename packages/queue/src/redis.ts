import { TransientError } from '@orchester/core';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { describeRedis, type RedisNode, type RedisTarget } from './settings.js';

/** A connection to one Redis, to a master through Sentinel, or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** A URL means one Redis. */
function targetOf(target: RedisTarget | string): RedisTarget {
  return typeof target === 'string' ? { kind: 'single', url: target } : target;
}

/** Credentials and TLS shared by every node (checked equal when config is read). */
function nodeAuth(node: RedisNode): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  return {
    ...(node.username ? { username: node.username } : {}),
    ...(node.password ? { password: node.password } : {}),
    ...(node.tls ? { tls: {} } : {}),
  };
}

/** Sentinel: the sentinels take the node URLs' credentials and scheme, as do master and replicas. */
function sentinelOptions(target: Extract<RedisTarget, { kind: 'sentinel' }>) {
  const first = target.nodes[0]!;
  return {
    name: target.name,
    sentinels: target.nodes.map((n) => ({ host: n.host, port: n.port })),
    ...nodeAuth(first),
    ...(first.username ? { sentinelUsername: first.username } : {}),
    ...(first.password ? { sentinelPassword: first.password } : {}),
    ...(first.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
    // Asks the sentinels again at once on +switch-master instead of waiting for the old master's
    // socket to fail.
    failoverDetector: true,
  };
}

const backOff = (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2_000);

// During a cluster failover (a replica takes over once cluster-node-timeout has passed) a
// command's slot has no reachable master for a while: ioredis retries it every
// `retryDelayOnFailover` ms, at most `maxRedirections` times, which spans about 30 s here.
const CLUSTER_RETRY: ClusterOptions = {
  retryDelayOnFailover: 500,
  retryDelayOnClusterDown: 500,
  retryDelayOnTryAgain: 200,
  maxRedirections: 60,
  slotsRefreshTimeout: 2_000,
};

/**
 * The worker's connection: commands wait through a Redis restart or failover instead of
 * failing (`maxRetriesPerRequest: null`, as BullMQ workers need) and reconnects back off to 2 s.
 */
export function createWorkerRedis(given: RedisTarget | string): RedisClient {
  const target = targetOf(given);
  const common = { maxRetriesPerRequest: null, enableReadyCheck: true };
  if (target.kind === 'single') return new Redis(target.url, { ...common, retryStrategy: backOff });
  if (target.kind === 'sentinel') {
    return new Redis({ ...sentinelOptions(target), ...common, retryStrategy: backOff });
  }
  return new Cluster(
    target.nodes.map((n) => ({ host: n.host, port: n.port })),
    {
      ...CLUSTER_RETRY,
      enableReadyCheck: true,
      clusterRetryStrategy: backOff,
      // No clusterNodeRetryStrategy: a node connection that keeps reconnecting to a dead
      // master holds its commands (maxRetriesPerRequest: null) instead of letting the cluster
      // client send them to the replica that took over.
      redisOptions: { ...nodeAuth(target.nodes[0]!), maxRetriesPerRequest: null },
    },
  );
}

/**
 * A connection for a command-line client that must answer quickly: connects at once and fails
 * within `timeoutMs` naming where Redis was looked for (passwords masked) and the way out
 * (`--inline`).
 */
export async function connectClientRedis(
  given: RedisTarget | string,
  timeoutMs = 1_500,
): Promise<RedisClient> {
  const target = targetOf(given);
  let connected = false;
  // Before the first connection a refusal is final at once (the CLI must answer within 2 s);
  // once connected, `--wait` rides out a Redis restart or failover.
  const retry = (times: number) =>
    connected ? Math.min(200 * times, 2_000) : times > 2 ? null : 100;
  const quick = {
    connectTimeout: timeoutMs,
    // ioredis keeps a closed socket's 2 s disconnect timer alive, which would hold the CLI open.
    disconnectTimeout: 100,
    maxRetriesPerRequest: 2,
  };
  let redis: RedisClient;
  if (target.kind === 'single')
    redis = new Redis(target.url, { ...quick, lazyConnect: true, retryStrategy: retry });
  else if (target.kind === 'sentinel') {
    redis = new Redis({
      ...sentinelOptions(target),
      ...quick,
      lazyConnect: true,
      retryStrategy: retry,
      sentinelRetryStrategy: (times: number) => (connected || times <= 2 ? 100 : null),
    });
  } else {
    redis = new Cluster(
      target.nodes.map((n) => ({ host: n.host, port: n.port })),
      {
        ...CLUSTER_RETRY,
        // A command gives up after about 5 s of a cluster without a master for its slot: the
        // CLI answers; `--wait` keeps asking for a minute, as through a restart.
        retryDelayOnFailover: 300,
        retryDelayOnClusterDown: 300,
        maxRedirections: 16,
        lazyConnect: true,
        clusterRetryStrategy: (times) => retry(times),
        redisOptions: { ...nodeAuth(target.nodes[0]!), ...quick },
      },
    );
  }
  // Errors surface through the promise below; an unhandled 'error' event must not crash the CLI.
  let lastError: string | undefined;
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis
        .connect()
        .then(() => redis.ping())
        .then(() => {
          connected = true;
        }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    const why = lastError ?? (error instanceof Error ? error.message : String(error));
    throw new TransientError(
      `cannot reach Redis at ${describeRedis(target)} (${why}); start Redis or set REDIS_URL to the worker's Redis, or run without the queue with --inline`,
      { details: { redis: describeRedis(target) } },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** A second connection to the same Redis, with the same options. */
export function duplicateRedis(redis: RedisClient): RedisClient {
  return redis instanceof Cluster ? redis.duplicate() : redis.duplicate();
}

/** PING with a deadline, for `/readyz`. */
export async function pingRedis(redis: RedisClient, timeoutMs = 1_000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      redis.ping(),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      }),
    ]);
    return answer === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
