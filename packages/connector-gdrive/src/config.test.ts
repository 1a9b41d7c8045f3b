import { describe, expect, it } from 'vitest';
import { emailSchema, gdriveConfigSchema, gdriveOptionsSchema } from './config.js';
import { parseFields, project } from './sandbox/fields.js';
import { routeOf } from './transport.js';

const issues = (block: Record<string, unknown>) => {
  const parsed = gdriveConfigSchema.safeParse(block);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('config', () => {
  it('fills the defaults', () => {
    expect(
      gdriveConfigSchema.parse({ file_id: 'f', credential_path: 'c.json', token_path: 't.json' }),
    ).toEqual({
      file_id: 'f',
      credential_path: 'c.json',
      token_path: 't.json',
      role: 'reader',
      send_notification_email: false,
      timeout_ms: 30_000,
    });
  });

  it('names the key and the fix', () => {
    expect(issues({ credential_path: 'c.json' })[0]).toMatch(/^file_id: /);
    expect(issues({ file_id: 'f' })[0]).toMatch(
      /^credential_path: no credentials: .*orchest generate.*service_account_path/,
    );
    expect(issues({ file_id: 'f', client_id: 'x' })).toEqual([
      'client_secret: client_id and client_secret go together',
    ]);
    expect(issues({ file_id: 'f', service_account_path: 's.json', token_path: 't' })[0]).toMatch(
      /^token_path: token_path belongs to OAuth/,
    );
    expect(issues({ file_id: 'f', credential_path: 'c', email_message: 'hi' })[0]).toMatch(
      /^email_message: .*send_notification_email/,
    );
    expect(issues({ file_id: 'f', credential_path: 'c', role: 'owner' })[0]).toMatch(/^role: /);
    expect(issues({ file_id: 'f', credential_path: 'c', tokn_path: 'x' })[0]).toMatch(/tokn_path/);
  });

  it('lower-cases e-mails and refuses anything else', () => {
    expect(emailSchema.parse(' Ada@Example.COM ')).toBe('ada@example.com');
    expect(emailSchema.safeParse('ada').success).toBe(false);
  });

  it('marks a missing role so add uses the configured one', () => {
    expect(gdriveOptionsSchema.parse({})).toEqual({});
    expect(gdriveOptionsSchema.parse({ role: 'writer' })).toEqual({ role: 'writer' });
    expect(gdriveOptionsSchema.safeParse({ role: 'owner' }).success).toBe(false);
    expect(gdriveOptionsSchema.safeParse({ expirationTime: 'tomorrow' }).success).toBe(false);
  });
});

describe('request reporting', () => {
  it('reports route templates, never ids', () => {
    expect(routeOf('http://127.0.0.1:1/drive/v3/files/abc/permissions/123?x=1')).toBe(
      '/drive/v3/files/{fileId}/permissions/{permissionId}',
    );
    expect(routeOf('https://oauth2.googleapis.com/token')).toBe('/token');
    expect(routeOf('https://www.googleapis.com/drive/v3/files/abc')).toBe(
      '/drive/v3/files/{fileId}',
    );
  });
});

describe('emulator partial responses', () => {
  it('keeps only the fields asked for, nested too', () => {
    const mask = parseFields('nextPageToken,permissions(id,permissionDetails(inherited))')!;
    expect(
      project(
        {
          kind: 'k',
          nextPageToken: 'n',
          permissions: [
            { id: '1', role: 'r', permissionDetails: [{ inherited: true, role: 'x' }] },
          ],
        },
        mask,
      ),
    ).toEqual({
      nextPageToken: 'n',
      permissions: [{ id: '1', permissionDetails: [{ inherited: true }] }],
    });
  });
});
