import type { drive as driveFactory } from '@googleapis/drive';
import { isOrchesterError, type OrchesterError } from '@orchester/core';
import type { DriveAuth } from './auth/google-auth.js';
import { mapDriveError, statusOf } from './errors.js';
import {
  isUserPermission,
  PERMISSION_FIELDS,
  type Permission,
  type UserPermission,
} from './permission.js';
import { isTokenEndpoint } from './transport.js';

type DriveClient = ReturnType<typeof driveFactory>;

/** What `permissions.create` sends besides the permission. */
export interface ShareOptions {
  readonly sendNotificationEmail: boolean;
  readonly emailMessage?: string;
}

/** A 404 about a permission (not about `file_id`): the person has none on the item. */
export const isPermissionGone = (error: unknown) =>
  isOrchesterError(error) && error.details?.status === 404 && error.code !== 'ORCH_CONFIG';

/**
 * The Drive calls the connector makes on its one item, each mapped to orchester's errors. A 401
 * gets one token refresh and one more try. Every call sends `supportsAllDrives=true`, so shared
 * drives and their items work.
 */
export class DrivePermissions {
  constructor(
    private readonly api: DriveClient,
    private readonly auth: DriveAuth,
    private readonly fileId: string,
    private readonly instance: string,
  ) {}

  private fail(error: unknown): OrchesterError {
    return mapDriveError(error, {
      fileId: this.fileId,
      instance: this.instance,
      tokenEndpoint: isTokenEndpoint(
        (error as { config?: { url?: URL | string } } | undefined)?.config?.url,
      ),
    });
  }

  private async call<T>(request: () => Promise<{ data: T }>): Promise<T> {
    try {
      try {
        return (await request()).data;
      } catch (error) {
        if (
          statusOf(error) !== 401 ||
          isTokenEndpoint((error as { config?: { url?: URL } }).config?.url)
        )
          throw error;
        this.auth.expireAccessToken();
        return (await request()).data;
      }
    } catch (error) {
      throw this.fail(error);
    } finally {
      await this.auth.flush();
    }
  }

  /**
   * Every user permission on the item, and how many calls that took. No `pageSize`: Drive then
   * answers a My Drive item's whole list at once, and a shared drive's 100 at a time.
   */
  async readAll(): Promise<{ people: UserPermission[]; calls: number }> {
    const people: UserPermission[] = [];
    let pageToken: string | undefined;
    let calls = 0;
    do {
      const page = await this.call(() =>
        this.api.permissions.list({
          fileId: this.fileId,
          supportsAllDrives: true,
          fields: `nextPageToken,permissions(${PERMISSION_FIELDS})`,
          ...(pageToken ? { pageToken } : {}),
        }),
      );
      calls += 1;
      for (const p of page.permissions ?? []) if (isUserPermission(p)) people.push(p);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return { people, calls };
  }

  /** One permission by id (a person's id is the same on every item); undefined when they have none. */
  async get(permissionId: string): Promise<UserPermission | undefined> {
    try {
      const p = await this.call(() =>
        this.api.permissions.get({
          fileId: this.fileId,
          permissionId,
          supportsAllDrives: true,
          fields: PERMISSION_FIELDS,
        }),
      );
      return isUserPermission(p) ? p : undefined;
    } catch (error) {
      if (isPermissionGone(error)) return undefined;
      throw error;
    }
  }

  create(
    permission: { emailAddress: string; role: string; expirationTime?: string },
    share: ShareOptions,
  ): Promise<Permission> {
    return this.call(() =>
      this.api.permissions.create({
        fileId: this.fileId,
        supportsAllDrives: true,
        sendNotificationEmail: share.sendNotificationEmail,
        ...(share.sendNotificationEmail && share.emailMessage
          ? { emailMessage: share.emailMessage }
          : {}),
        fields: PERMISSION_FIELDS,
        requestBody: { type: 'user', ...permission },
      }),
    );
  }

  update(
    permissionId: string,
    change: { role: string; expirationTime?: string },
  ): Promise<Permission> {
    return this.call(() =>
      this.api.permissions.update({
        fileId: this.fileId,
        permissionId,
        supportsAllDrives: true,
        fields: PERMISSION_FIELDS,
        requestBody: change,
      }),
    );
  }

  /** Deletes a permission; false when it was already gone (404). */
  async delete(permissionId: string): Promise<boolean> {
    try {
      await this.call(() =>
        this.api.permissions.delete({
          fileId: this.fileId,
          permissionId,
          supportsAllDrives: true,
        }),
      );
      return true;
    } catch (error) {
      if (isPermissionGone(error)) return false;
      throw error;
    }
  }
}
