import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Drive, specViolations, startDrive } from '../../test/harness.js';
import { addManyReaders, SANDBOX_CLIENT, SANDBOX_REFRESH_TOKEN } from './index.js';

const drive: Drive = await startDrive();
afterAll(() => drive.close());
beforeEach(() => drive.reset('demo'));

const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});

async function accessToken(): Promise<string> {
  const res = await fetch(
    `${drive.url}/token`,
    form({
      grant_type: 'refresh_token',
      refresh_token: SANDBOX_REFRESH_TOKEN,
      client_id: SANDBOX_CLIENT.clientId,
      client_secret: SANDBOX_CLIENT.clientSecret,
    }),
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${drive.url}${path}`, {
    headers: { authorization: `Bearer ${await accessToken()}` },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Drive emulator', () => {
  it('answers without e-mails unless fields asks for them, as Drive does', async () => {
    const plain = await get('/drive/v3/files/folder-team/permissions');
    expect(Object.keys((plain.body.permissions as object[])[0]!).sort()).toEqual([
      'id',
      'kind',
      'role',
      'type',
    ]);
    const rich = await get(
      '/drive/v3/files/folder-team/permissions?fields=permissions(id,emailAddress)',
    );
    expect((rich.body.permissions as object[])[1]).toEqual({
      id: expect.any(String),
      emailAddress: 'ada@example.com',
    });
    expect(await specViolations(drive)).toEqual([]);
  });

  it('pages: unset pageSize gives a folder its whole list and a shared drive 100; 100 at most', async () => {
    addManyReaders(drive.state, 'folder-team', 150);
    addManyReaders(drive.state, 'drive-eng', 150);
    const whole = await get('/drive/v3/files/folder-team/permissions');
    expect((whole.body.permissions as unknown[]).length).toBe(155);
    expect(whole.body.nextPageToken).toBeUndefined();
    const shared = await get('/drive/v3/files/drive-eng/permissions?supportsAllDrives=true');
    expect((shared.body.permissions as unknown[]).length).toBe(100);
    const capped = await get('/drive/v3/files/folder-team/permissions?pageSize=500');
    expect((capped.body.permissions as unknown[]).length).toBe(100);
    const next = await get(
      `/drive/v3/files/folder-team/permissions?pageSize=100&pageToken=${capped.body.nextPageToken}`,
    );
    expect((next.body.permissions as unknown[]).length).toBe(55);
    expect(next.body.nextPageToken).toBeUndefined();
    expect(await specViolations(drive)).toEqual([]);
  });

  it('hides shared-drive items from calls without supportsAllDrives', async () => {
    const hidden = await get('/drive/v3/files/drive-eng/permissions');
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ error: { code: 404, errors: [{ reason: 'notFound' }] } });
    expect((await get('/drive/v3/drives/drive-eng')).body).toEqual({
      kind: 'drive#drive',
      id: 'drive-eng',
      name: 'Engineering',
    });
    expect(
      (await get('/drive/v3/files/folder-in-drive?supportsAllDrives=true')).body,
    ).toMatchObject({ id: 'folder-in-drive' });
    expect(await specViolations(drive)).toEqual([]);
  });

  it('checks the PKCE verifier at the code exchange', async () => {
    const verifier = 'a-verifier-that-is-long-enough-for-pkce-0123456789';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirect = 'http://127.0.0.1:9/cb';
    const codeFor = async () => {
      const consent = await fetch(
        `${drive.url}/o/oauth2/v2/auth?client_id=${SANDBOX_CLIENT.clientId}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=s&state=st&code_challenge=${challenge}&code_challenge_method=S256`,
        { redirect: 'manual' },
      );
      const location = new URL(consent.headers.get('location')!);
      expect(location.searchParams.get('state')).toBe('st');
      return location.searchParams.get('code')!;
    };
    const exchange = (code: string, code_verifier: string) =>
      fetch(
        `${drive.url}/token`,
        form({
          grant_type: 'authorization_code',
          code,
          code_verifier,
          redirect_uri: redirect,
          client_id: SANDBOX_CLIENT.clientId,
          client_secret: SANDBOX_CLIENT.clientSecret,
        }),
      );
    const wrong = await exchange(await codeFor(), 'some-other-verifier');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    const code = await codeFor();
    expect((await exchange(code, verifier)).status).toBe(200);
    // A code is good once.
    expect((await exchange(code, verifier)).status).toBe(400);
  });

  it('answers 401 in Drive shape for a missing or unknown token', async () => {
    const res = await fetch(`${drive.url}/drive/v3/files/folder-team/permissions`, {
      headers: { authorization: 'Bearer ya29.unknown' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { code: 401, errors: [{ reason: 'authError', location: 'Authorization' }] },
    });
  });
});
