import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, type ConnectorInstance, type ServiceCall, systemClock } from '@orchester/core';
import { createTestContext, type LogLine } from '@orchester/core/testing';
import type { RunningEmulator } from '@orchester/sandbox';
import { createSpecValidator, loadSpec, specRequestOf } from '@orchester/sandbox/spec-validator';
import { z } from 'zod';
import { type GdriveConfig, gdriveConnector } from '../src/index.js';
import gdriveEmulator, {
  type DriveState,
  SANDBOX_CLIENT,
  SANDBOX_REFRESH_TOKEN,
} from '../src/sandbox/index.js';

export type Drive = RunningEmulator<DriveState>;

export async function startDrive(seed = 'demo'): Promise<Drive> {
  return gdriveEmulator.start({ seed });
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'orchester-gdrive-'));
}

/** Everything a connector logged and the calls it recorded, for secret checks. */
export interface Captured {
  readonly logs: LogLine[];
  readonly calls: ServiceCall[];
}

export async function writeJson(dir: string, name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(value, null, 2));
  return path;
}

/** A Google Cloud Console "Desktop app" client file for the emulator's client. */
export function clientFile(kind: 'installed' | 'web' = 'installed') {
  return {
    [kind]: {
      client_id: SANDBOX_CLIENT.clientId,
      project_id: 'sandbox-project',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      client_secret: SANDBOX_CLIENT.clientSecret,
      redirect_uris: ['http://localhost'],
    },
  };
}

/** A stored token whose refresh token the emulator knows; the access token is one it never issued. */
export function storedToken(extra: Record<string, unknown> = {}) {
  return {
    refresh_token: SANDBOX_REFRESH_TOKEN,
    access_token: 'ya29.never-issued-access-token',
    expiry_date: Date.now() + 3_600_000,
    ...extra,
  };
}

/** A service account key file for the emulator's account. */
export function serviceAccountFile(state: DriveState) {
  const account = state.serviceAccounts[0]!;
  return {
    type: 'service_account',
    project_id: 'sandbox-project',
    private_key_id: account.privateKeyId,
    private_key: account.privateKeyPem,
    client_email: account.clientEmail,
    client_id: '100000000000000000001',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

/** An OAuth-configured directory: client file and token file. */
export async function oauthDir(token: Record<string, unknown> = storedToken()): Promise<string> {
  const dir = await tempDir();
  await writeJson(dir, 'client.json', clientFile());
  await writeJson(dir, 'token.json', token);
  return dir;
}

export async function readJsonFile(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/** Validates a config block the way orchester does, then creates the instance. */
export async function connect(
  drive: Drive,
  block: Record<string, unknown>,
  configDir: string,
  captured: Captured = { logs: [], calls: [] },
  signal: AbortSignal = new AbortController().signal,
  clock: Clock = systemClock,
): Promise<ConnectorInstance<string>> {
  const config = gdriveConnector.configSchema.parse(block) as GdriveConfig;
  return gdriveConnector.create(
    createTestContext({
      instance: 'drive-test',
      config,
      baseUrl: drive.url,
      configDir,
      clock,
      signal,
      calls: captured.calls,
      logs: captured.logs,
    }),
  );
}

export const oauthBlock = (fileId: string, extra: Record<string, unknown> = {}) => ({
  file_id: fileId,
  credential_path: 'client.json',
  token_path: 'token.json',
  timeout_ms: 5_000,
  ...extra,
});

const oauthErrorShape = z.object({ error: z.string(), error_description: z.string().optional() });
const driveSpec = createSpecValidator(
  loadSpec(new URL('./fixtures/gdrive.openapi.json', import.meta.url)),
);

/**
 * Checks every request the emulator logged under `/drive/v3` against Drive's official description
 * with its overlay (`fixtures/gdrive.overlay.json`: the 204 of permissions.delete, Google's error
 * shape): what the client sent, and what the emulator answered. Token-endpoint errors are checked
 * against OAuth's error shape.
 */
export async function specViolations(drive: Drive): Promise<string[]> {
  const out: string[] = [];
  for (const r of drive.requests) {
    if (r.status === 0) continue;
    if (r.path.startsWith('/drive/v3/')) {
      const path = r.path.slice('/drive/v3'.length);
      const found = [
        ...driveSpec.validateRequest({ ...specRequestOf(r), path }),
        ...driveSpec.validate({ method: r.method, path, status: r.status, body: r.responseBody }),
      ];
      for (const v of found) out.push(`${v.method} ${v.path} ${v.status}: ${v.message}`);
    } else if (
      r.path === '/token' &&
      r.status >= 400 &&
      !oauthErrorShape.safeParse(r.responseBody).success
    ) {
      out.push(`POST /token ${r.status}: not OAuth's error shape`);
    }
  }
  return out;
}

/** Drive's HTTP API as a client sees it, without the SDK: for tests of the emulator itself. */
export function rawDrive(drive: Drive) {
  let token: string | undefined;
  const accessToken = async () => {
    if (token && drive.state.accessTokens.has(token)) return token;
    const res = await fetch(`${drive.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: SANDBOX_REFRESH_TOKEN,
        client_id: SANDBOX_CLIENT.clientId,
        client_secret: SANDBOX_CLIENT.clientSecret,
      }).toString(),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
    return token;
  };
  return {
    accessToken,
    async call(
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const res = await fetch(`${drive.url}/drive/v3${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await accessToken()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
  };
}

/** Waits until `condition` holds, checking every few milliseconds (never a fixed sleep). */
export async function until(condition: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The secrets of the emulator's seed that must never show up in output. */
export function seedSecrets(state: DriveState): string[] {
  return [
    SANDBOX_CLIENT.clientSecret,
    SANDBOX_REFRESH_TOKEN,
    ...state.accessTokens.keys(),
    ...[...state.refreshTokens.keys()],
    ...state.serviceAccounts.map((a) => a.privateKeyPem.split('\n')[1] ?? 'unused'),
  ];
}
