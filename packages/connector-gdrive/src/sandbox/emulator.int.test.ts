import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Drive, rawDrive, specViolations, startDrive } from '../../test/harness.js';
import { addManyReaders, permissionIdFor, SANDBOX_CLIENT, SANDBOX_REFRESH_TOKEN } from './index.js';

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
    // The one request outside the description is the deliberate pageSize=500.
    expect(await specViolations(drive)).toEqual([
      'GET /files/folder-team/permissions 0: query parameter pageSize "500" must be <= 100',
    ]);
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

  const api = rawDrive(drive);
  const FIELDS = 'fields=id,role,emailAddress,pendingOwner,permissionDetails';
  const idOf = permissionIdFor;

  it('sharing with someone who already has access raises their role but never lowers it', async () => {
    const share = (email: string, role: string) =>
      api.call('POST', `/files/folder-team/permissions?sendNotificationEmail=false&${FIELDS}`, {
        type: 'user',
        role,
        emailAddress: email,
      });
    // grace@ is a reader: asking for writer raises her.
    expect((await share('grace@example.com', 'writer')).body).toMatchObject({ role: 'writer' });
    // ada@ is a writer: asking for reader leaves her a writer, and the answer says so.
    expect((await share('ada@example.com', 'reader')).body).toMatchObject({ role: 'writer' });
    // The owner stays the owner.
    expect((await share('owner@example.com', 'reader')).body).toMatchObject({ role: 'owner' });
    expect(await specViolations(drive)).toEqual([]);
  });

  it("lists a shared drive's members on its items as inherited, beside the item's own permissions", async () => {
    const listed = await api.call(
      'GET',
      `/files/folder-in-drive/permissions?supportsAllDrives=true&fields=permissions(id,role,emailAddress,permissionDetails)`,
    );
    expect(listed.body.permissions).toEqual([
      {
        id: idOf('owner@example.com'),
        role: 'organizer',
        emailAddress: 'owner@example.com',
        permissionDetails: [
          {
            permissionType: 'member',
            role: 'organizer',
            inherited: true,
            inheritedFrom: 'drive-eng',
          },
        ],
      },
      {
        // One entry for ken@, with both details and the stronger role.
        id: idOf('ken@example.com'),
        role: 'fileOrganizer',
        emailAddress: 'ken@example.com',
        permissionDetails: [
          { permissionType: 'member', role: 'writer', inherited: true, inheritedFrom: 'drive-eng' },
          { permissionType: 'file', role: 'fileOrganizer', inherited: false },
        ],
      },
    ]);
    // A new drive member shows up on the drive's items at once.
    await api.call('POST', '/files/drive-eng/permissions?supportsAllDrives=true', {
      type: 'user',
      role: 'reader',
      emailAddress: 'new@example.com',
    });
    const inherited = await api.call(
      'GET',
      `/files/folder-in-drive/permissions/${idOf('new@example.com')}?supportsAllDrives=true&${FIELDS}`,
    );
    expect(inherited.body).toMatchObject({
      role: 'reader',
      permissionDetails: [{ inherited: true, inheritedFrom: 'drive-eng' }],
    });
    expect(await specViolations(drive)).toEqual([]);
  });

  it('inherited access cannot be changed or removed on the item; removing the own part leaves it', async () => {
    const at = (email: string) =>
      `/files/folder-in-drive/permissions/${idOf(email)}?supportsAllDrives=true&${FIELDS}`;
    for (const [method, body] of [
      ['DELETE', undefined],
      ['PATCH', { role: 'reader' }],
    ] as const) {
      const refused = await api.call(method, at('owner@example.com'), body);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        error: {
          message: 'Cannot update or delete an inherited permission on a shared drive item.',
        },
      });
    }
    const removed = await api.call('DELETE', at('ken@example.com'));
    expect(removed).toEqual({ status: 204, body: {} });
    // ken@ keeps what the drive gives him.
    expect((await api.call('GET', at('ken@example.com'))).body).toMatchObject({
      role: 'writer',
      permissionDetails: [{ inherited: true }],
    });
    expect(await specViolations(drive)).toEqual([]);
  });

  it('shares, then answers 400 invalidSharingRequest, when the notification cannot be delivered', async () => {
    const res = await api.call('POST', '/files/folder-team/permissions', {
      type: 'user',
      role: 'reader',
      emailAddress: 'bounces@elsewhere.test',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { errors: [{ reason: 'invalidSharingRequest' }] },
    });
    expect(
      (await api.call('GET', `/files/folder-team/permissions/${idOf('bounces@elsewhere.test')}`))
        .status,
    ).toBe(200);
  });

  it('owners: the owner role needs transferOwnership; the owner is never removed or demoted', async () => {
    const owner = `/files/folder-team/permissions/${idOf('owner@example.com')}`;
    const answers = [
      await api.call('POST', '/files/folder-team/permissions', {
        type: 'user',
        role: 'owner',
        emailAddress: 'ada@example.com',
      }),
      await api.call('DELETE', owner),
      await api.call('PATCH', owner, { role: 'reader' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403]);
    expect(answers[0]!.body).toMatchObject({
      error: { errors: [{ location: 'transferOwnership' }] },
    });
    expect(drive.state.items.get('folder-team')!.permissions[0]).toMatchObject({
      emailAddress: 'owner@example.com',
      role: 'owner',
    });
    expect(await specViolations(drive)).toEqual([]);
  });

  it('an expiry must be in the future and at most a year ahead', async () => {
    const share = (expirationTime: string) =>
      api.call('POST', '/files/folder-team/permissions', {
        type: 'user',
        role: 'reader',
        emailAddress: 'temp@example.com',
        expirationTime,
      });
    const day = 86_400_000;
    expect((await share(new Date(Date.now() - day).toISOString())).status).toBe(400);
    expect((await share(new Date(Date.now() + 400 * day).toISOString())).status).toBe(400);
    expect((await share(new Date(Date.now() + 30 * day).toISOString())).status).toBe(200);
  });

  it('lists a pending owner with pendingOwner', async () => {
    const listed = await api.call(
      'GET',
      `/files/file-plan/permissions?fields=permissions(emailAddress,role,pendingOwner)`,
    );
    expect(listed.body.permissions).toContainEqual({
      emailAddress: 'margaret@example.com',
      role: 'writer',
      pendingOwner: true,
    });
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
