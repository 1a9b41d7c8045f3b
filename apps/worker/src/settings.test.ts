import { memoryConfig } from '@orchester/runtime/testing';
import { describe, expect, it } from 'vitest';
import { readWorkerSettings } from './settings.js';

const configWith = (http: Record<string, unknown>) => ({
  ...memoryConfig({ mem: 'memory' }),
  sections: { worker: { http } },
});

describe('worker.http settings', () => {
  it('reads a metrics token from the environment and lower-cases allowed host names', () => {
    const settings = readWorkerSettings(
      configWith({
        metrics_token: { env: 'SCRAPE' },
        allowed_hosts: ['Worker.Internal', '10.0.0.5'],
      }),
      { SCRAPE: 'scrape-token-8f7e6d5c4b' },
    );
    expect(settings.http).toMatchObject({
      token: undefined,
      metricsToken: 'scrape-token-8f7e6d5c4b',
      allowedHosts: ['worker.internal', '10.0.0.5'],
    });
  });

  it('refuses a short metrics token and a host name with a scheme or port', () => {
    expect(() =>
      readWorkerSettings(configWith({ metrics_token: { env: 'S' } }), { S: 'short' }),
    ).toThrow(/worker\.http\.metrics_token: at least 16 characters/);
    expect(() =>
      readWorkerSettings(configWith({ allowed_hosts: ['http://worker.internal:9464'] }), {}),
    ).toThrow(/allowed_hosts.*without scheme or port/);
  });
});
