import { ConfigError, redact } from '@orchester/core';
import { memoryConfig } from '@orchester/runtime/testing';
import { describe, expect, it } from 'vitest';
import { describeRedis, readQueueSettings } from './settings.js';

const withRedis = (redis: Record<string, unknown>) => ({
  ...memoryConfig({ mem: 'memory' }),
  sections: { redis },
});

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('redis settings: one node, a cluster, or sentinel', () => {
  it('reads cluster nodes with their shared credentials and TLS, and shows them without the password', () => {
    const settings = readQueueSettings(
      withRedis({
        cluster: {
          nodes: [
            'rediss://app:cl-pw-4e1d9a@10.0.0.5:7000',
            'rediss://app:cl-pw-4e1d9a@10.0.0.6:7001',
          ],
        },
      }),
      {},
    );
    expect(settings.redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.5', port: 7000, username: 'app', password: 'cl-pw-4e1d9a', tls: true },
        { host: '10.0.0.6', port: 7001, username: 'app', password: 'cl-pw-4e1d9a', tls: true },
      ],
    });
    expect(describeRedis(settings.redis)).toBe('cluster 10.0.0.5:7000,10.0.0.6:7001');
    // The password is registered as a secret: redacted wherever it would be printed.
    expect(redact('auth cl-pw-4e1d9a failed')).not.toContain('cl-pw-4e1d9a');
  });

  it('reads a sentinel set-up by master group name', () => {
    const settings = readQueueSettings(
      withRedis({ sentinel: { name: 'mymaster', nodes: ['redis://127.0.0.1:26379'] } }),
      {},
    );
    expect(settings.redis).toEqual({
      kind: 'sentinel',
      name: 'mymaster',
      nodes: [{ host: '127.0.0.1', port: 26379, tls: false }],
    });
    expect(describeRedis(settings.redis)).toBe('sentinel 127.0.0.1:26379 (master mymaster)');
  });

  it('keeps REDIS_URL winning over redis.url for one node', () => {
    const settings = readQueueSettings(withRedis({ url: 'redis://127.0.0.1:1' }), {
      REDIS_URL: 'redis://127.0.0.1:2',
    });
    expect(settings.redis).toEqual({ kind: 'single', url: 'redis://127.0.0.1:2' });
  });

  it('refuses two set-ups at once, naming both fields', () => {
    const nodes = ['redis://127.0.0.1:7000'];
    expect(
      configError(() =>
        readQueueSettings(withRedis({ url: 'redis://127.0.0.1:6379', cluster: { nodes } }), {}),
      ).message,
    ).toMatch(/redis\.url and redis\.cluster are both given; keep one/);
    expect(
      configError(() =>
        readQueueSettings(withRedis({ cluster: { nodes } }), { REDIS_URL: 'redis://h:1' }),
      ).message,
    ).toMatch(/REDIS_URL and redis\.cluster are both given/);
    expect(
      configError(() =>
        readQueueSettings(withRedis({ cluster: { nodes }, sentinel: { name: 'm', nodes } }), {}),
      ).message,
    ).toMatch(/redis\.cluster and redis\.sentinel are both given/);
  });

  it('refuses node URLs that are not redis:// URLs with host and port, without echoing a password', () => {
    const bad = (nodes: unknown) =>
      configError(() => readQueueSettings(withRedis({ cluster: { nodes } }), {})).message;
    expect(bad(['http://127.0.0.1:7000'])).toMatch(
      /redis\.cluster\.nodes\[0\]: a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(bad([])).toMatch(/redis\.cluster\.nodes.*at least one node/);
    const noPort = bad(['redis://:nodepw-77aa31@10.0.0.5']);
    expect(noPort).toMatch(/redis\.cluster\.nodes\[0\].*needs a host and a port/);
    expect(noPort).not.toContain('nodepw-77aa31');
    expect(bad(['redis://10.0.0.5:7000', 'rediss://10.0.0.6:7000'])).toMatch(
      /nodes\[1\] differs from redis\.cluster\.nodes\[0\] in scheme or credentials/,
    );
    expect(
      configError(() =>
        readQueueSettings(withRedis({ sentinel: { nodes: ['redis://127.0.0.1:26379'] } }), {}),
      ).message,
    ).toMatch(/redis\.sentinel\.name/);
  });
});
