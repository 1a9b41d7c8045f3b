import type { ConnectorInstance, ServiceCall } from '@orchester/core';
import { createTestContext, type LogLine, rejectionOf } from '@orchester/core/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { afterEach, beforeEach } from 'vitest';
import githubConnector from '../index.js';
import githubEmulator, { type GitHubState, SANDBOX_TOKEN } from '../sandbox/index.js';

export function startGitHub(seed = 'demo'): Promise<RunningEmulator<GitHubState>> {
  return githubEmulator.start({ seed });
}

export interface Connected {
  readonly instance: ConnectorInstance;
  readonly calls: ServiceCall[];
  readonly logs: LogLine[];
}

/** A live connector instance pointed at `emulator`, config overridden by `overrides`. */
export async function connect(
  emulator: RunningEmulator<GitHubState>,
  overrides: Record<string, unknown> = {},
  options: { signal?: AbortSignal; configDir?: string } = {},
): Promise<Connected> {
  const block: Record<string, unknown> = { ...emulator.configBlock(), ...overrides };
  for (const [k, v] of Object.entries(block)) if (v === undefined) delete block[k];
  const context = createTestContext({
    instance: 'github',
    config: githubConnector.configSchema.parse(block),
    baseUrl: emulator.url,
    ...(options.configDir ? { configDir: options.configDir } : {}),
  });
  options.signal?.addEventListener('abort', () => context.controller.abort(options.signal?.reason));
  const instance = await githubConnector.create(context);
  return { instance, calls: context.calls, logs: context.logs };
}

/** The error a promise rejects with (fails the test when it resolves). */
export const failure = rejectionOf;

/** The emulator each test gets: started before it, closed after it. */
export function githubPerTest(seed = 'demo'): { readonly gh: RunningEmulator<GitHubState> } {
  const holder = {} as { gh: RunningEmulator<GitHubState> };
  beforeEach(async () => {
    holder.gh = await startGitHub(seed);
  });
  afterEach(async () => {
    await holder.gh.close();
  });
  return holder;
}

/** Sends a request to the emulator as the sandbox token's owner, a JSON body when given. */
export function asOwner(
  gh: RunningEmulator<GitHubState>,
): (method: string, path: string, body?: unknown) => Promise<Response> {
  return (method, path, body) =>
    fetch(`${gh.url}${path}`, {
      method,
      headers: { authorization: `token ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}
