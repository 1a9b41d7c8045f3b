import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, registerSecret } from '@orchester/core';

/** The stored OAuth token: google-auth-library's `Credentials` shape, refresh token required. */
export interface StoredToken {
  refresh_token: string;
  access_token?: string;
  expiry_date?: number;
  scope?: string;
  token_type?: string;
}

/** Reads `token_path`; also accepts an `authorized_user` file (only its refresh token is used). */
export async function readTokenFile(
  path: string,
  instance: string,
): Promise<{ token: StoredToken; othersCanRead: boolean }> {
  let text: string;
  let mode = 0;
  try {
    text = await readFile(path, 'utf8');
    mode = (await stat(path)).mode;
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `token_path: no token at ${path}; run "orchest generate ${instance}" to sign in and create it`
        : `token_path: cannot read ${path} (${code ?? 'error'})`,
    );
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ConfigError(
      `token_path: ${path} is not JSON; run "orchest generate ${instance}" to write it again`,
    );
  }
  if (typeof parsed.refresh_token !== 'string' || parsed.refresh_token === '') {
    throw new ConfigError(
      `token_path: ${path} holds no refresh_token, so access cannot be renewed; run "orchest generate ${instance}" again`,
    );
  }
  registerSecret(parsed.refresh_token);
  if (typeof parsed.access_token === 'string') registerSecret(parsed.access_token);
  const token: StoredToken = { refresh_token: parsed.refresh_token };
  if (typeof parsed.access_token === 'string') token.access_token = parsed.access_token;
  if (typeof parsed.expiry_date === 'number') token.expiry_date = parsed.expiry_date;
  if (typeof parsed.scope === 'string') token.scope = parsed.scope;
  if (typeof parsed.token_type === 'string') token.token_type = parsed.token_type;
  return { token, othersCanRead: (mode & 0o077) !== 0 };
}

/** Writes the token owner-only (0600), atomically: a crash never leaves half a token. */
export async function writeTokenFile(path: string, token: StoredToken): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 });
    // The umask cannot widen 0600, but an existing file's mode could: set it explicitly.
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
