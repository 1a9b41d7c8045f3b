import type { SandboxResponse } from '@orchester/sandbox';

/** Drive's error body: `{error:{code,message,errors:[{domain,reason,message,...}]}}`. */
export function driveError(
  status: number,
  reason: string,
  message: string,
  extra: {
    domain?: string;
    location?: string;
    locationType?: string;
    status?: string;
    headers?: Record<string, string | number>;
  } = {},
): SandboxResponse {
  const item = {
    domain: extra.domain ?? 'global',
    reason,
    message,
    ...(extra.location
      ? { location: extra.location, locationType: extra.locationType ?? 'parameter' }
      : {}),
  };
  return {
    status,
    ...(extra.headers ? { headers: extra.headers } : {}),
    body: {
      error: {
        code: status,
        message,
        errors: [item],
        ...(extra.status ? { status: extra.status } : {}),
      },
    },
  };
}

export const unauthenticated = (): SandboxResponse =>
  driveError(
    401,
    'authError',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    { location: 'Authorization', locationType: 'header', status: 'UNAUTHENTICATED' },
  );

export const fileNotFound = (fileId: string): SandboxResponse =>
  driveError(404, 'notFound', `File not found: ${fileId}.`, { location: 'fileId' });

export const permissionNotFound = (permissionId: string): SandboxResponse =>
  driveError(404, 'notFound', `Permission not found: ${permissionId}.`, {
    location: 'permissionId',
  });

export const badRequest = (message: string, location?: string): SandboxResponse =>
  driveError(400, 'badRequest', message, location ? { location } : {});

export const backendError = (status = 500): SandboxResponse =>
  driveError(status, 'backendError', status === 503 ? 'Service Unavailable' : 'Backend Error');

/** The OAuth token endpoint's own error shape. */
export const oauthError = (
  status: number,
  error: string,
  description: string,
): SandboxResponse => ({
  status,
  body: { error, error_description: description },
});
