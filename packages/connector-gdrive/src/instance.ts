import type { drive_v3 } from '@googleapis/drive';
import {
  type ChangeAttempt,
  type ChangeResult,
  type CheckResult,
  type ConnectorContext,
  type ConnectorInstance,
  InvalidInputError,
  isOrchesterError,
  type MemberRecord,
  type MembershipOptions,
  UnsupportedError,
} from '@orchester/core';
import { planAuth } from './auth/credentials.js';
import { createDriveAuth } from './auth/google-auth.js';
import type { GdriveConfig, GdriveOptions } from './config.js';
import { mapDriveError, statusOf } from './errors.js';
import { isTokenEndpoint, type TransportOptions } from './transport.js';

type Permission = drive_v3.Schema$Permission;

const PERMISSION_FIELDS =
  'id,type,role,emailAddress,domain,deleted,expirationTime,pendingOwner,permissionDetails(permissionType,role,inherited,inheritedFrom)';
const LIST_FIELDS = `nextPageToken,permissions(${PERMISSION_FIELDS})`;
const PAGE_SIZE = 100;

/** Only the item's own people: `anyone` and `domain` permissions carry no e-mail and are skipped. */
function isUserPermission(p: Permission): p is Permission & { emailAddress: string; id: string } {
  return p.type === 'user' && typeof p.emailAddress === 'string' && typeof p.id === 'string';
}

/** On a shared-drive item, access that comes only from the drive cannot be changed on the item. */
function inheritedFrom(p: Permission): string | undefined {
  const details = p.permissionDetails ?? [];
  if (details.length === 0 || !details.every((d) => d.inherited)) return undefined;
  return details[0]?.inheritedFrom ?? 'its shared drive';
}

/** Connects one configured instance to Drive: imported by `create()` only when a command needs it. */
export async function createDriveInstance(
  context: ConnectorContext<GdriveConfig>,
): Promise<ConnectorInstance<string>> {
  const { config, instance } = context;
  const fileId = config.file_id;
  const transport: TransportOptions = {
    instance,
    baseUrl: context.baseUrl,
    timeoutMs: config.timeout_ms,
    signal: context.signal,
    recordCall: (call) => context.recordCall(call),
  };
  const plan = await planAuth(config, context.configDir);
  const auth = await createDriveAuth(plan, transport, context.logger);
  const { drive } = await import('@googleapis/drive');
  const api = drive({
    version: 'v3',
    auth: auth.client,
    retry: false,
    timeout: config.timeout_ms,
    // googleapis keeps only the origin of rootUrl: paths stay /drive/v3/...
    ...(context.baseUrl ? { rootUrl: `${context.baseUrl.replace(/\/+$/, '')}/` } : {}),
  });

  const fail = (error: unknown) =>
    mapDriveError(error, {
      fileId,
      instance,
      tokenEndpoint: isTokenEndpoint(
        (error as { config?: { url?: URL | string } } | undefined)?.config?.url,
      ),
    });

  /** One Drive call: a 401 gets one token refresh and one more try, then becomes an orchester error. */
  const call = async <T>(request: () => Promise<T>): Promise<T> => {
    try {
      try {
        return await request();
      } catch (error) {
        if (
          statusOf(error) !== 401 ||
          isTokenEndpoint((error as { config?: { url?: URL } }).config?.url)
        )
          throw error;
        auth.expireAccessToken();
        return await request();
      }
    } catch (error) {
      throw fail(error);
    } finally {
      await auth.flush();
    }
  };

  async function* permissions(): AsyncGenerator<Permission> {
    let pageToken: string | undefined;
    do {
      const page = await call(() =>
        api.permissions.list({
          fileId,
          pageSize: PAGE_SIZE,
          supportsAllDrives: true,
          fields: LIST_FIELDS,
          ...(pageToken ? { pageToken } : {}),
        }),
      );
      for (const p of page.data.permissions ?? []) yield p;
      pageToken = page.data.nextPageToken ?? undefined;
    } while (pageToken);
  }

  const find = async (email: string) => {
    for await (const p of permissions()) {
      if (isUserPermission(p) && p.emailAddress.toLowerCase() === email) return p;
    }
    return undefined;
  };

  return {
    async check(email): Promise<CheckResult> {
      const p = await find(email);
      if (!p) return { state: 'absent' };
      const from = inheritedFrom(p);
      const detail = [
        from ? `through shared drive ${from}` : undefined,
        p.expirationTime ? `until ${p.expirationTime}` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      return {
        state: p.deleted ? 'deactivated' : 'member',
        ...(p.role ? { role: p.role } : {}),
        ...(detail ? { detail } : {}),
      };
    },

    async add(email, raw: MembershipOptions, attempt: ChangeAttempt): Promise<ChangeResult> {
      const options = raw as GdriveOptions;
      const role = options.role ?? config.role;
      const message = options.emailMessage ?? config.email_message;
      if (options.emailMessage !== undefined && !config.send_notification_email) {
        throw new InvalidInputError(
          `emailMessage is sent with Drive's notification e-mail, which ${instance} has turned off; set send_notification_email: true, or drop emailMessage`,
        );
      }
      const existing = await find(email);
      if (existing) {
        if (existing.role === 'owner')
          return { outcome: 'already-member', role: 'owner', detail: `owns ${fileId}` };
        const sameExpiry =
          options.expirationTime === undefined ||
          (typeof existing.expirationTime === 'string' &&
            Date.parse(existing.expirationTime) === Date.parse(options.expirationTime));
        if (existing.role === role && sameExpiry) return { outcome: 'already-member', role };
        const from = inheritedFrom(existing);
        if (from) {
          throw new UnsupportedError(
            `${email} has ${existing.role} access to ${fileId} through shared drive ${from}; Drive cannot change inherited access on an item, change it on the shared drive (file_id ${from})`,
          );
        }
        const update = () =>
          call(() =>
            api.permissions.update({
              fileId,
              permissionId: existing.id,
              supportsAllDrives: true,
              fields: PERMISSION_FIELDS,
              requestBody: {
                role,
                ...(options.expirationTime ? { expirationTime: options.expirationTime } : {}),
              },
            }),
          );
        // A new expiry alone changes no one's membership: nothing to note for a retry.
        await (existing.role === role ? update() : attempt.change('role-changed', update));
        return existing.role === role
          ? { outcome: 'already-member', role, detail: `expiry set to ${options.expirationTime}` }
          : { outcome: 'role-changed', role, detail: `was ${existing.role}` };
      }
      const notify = config.send_notification_email;
      await attempt.change('added', () =>
        call(() =>
          api.permissions.create({
            fileId,
            supportsAllDrives: true,
            sendNotificationEmail: notify,
            ...(notify && message ? { emailMessage: message } : {}),
            fields: PERMISSION_FIELDS,
            requestBody: {
              type: 'user',
              role,
              emailAddress: email,
              ...(options.expirationTime ? { expirationTime: options.expirationTime } : {}),
            },
          }),
        ),
      );
      return { outcome: 'added', role };
    },

    async remove(email, _options, attempt): Promise<ChangeResult> {
      const existing = await find(email);
      if (!existing) return { outcome: 'not-member' };
      if (existing.role === 'owner') {
        throw new UnsupportedError(
          `${email} owns ${fileId}, and Drive never takes access away from an item's owner; transfer ownership in Drive first, then remove them`,
        );
      }
      const from = inheritedFrom(existing);
      if (from) {
        throw new UnsupportedError(
          `${email} has access to ${fileId} through shared drive ${from}; remove them from that shared drive (file_id ${from}) instead`,
        );
      }
      const gone = await attempt.change('removed', async () => {
        try {
          await call(() =>
            api.permissions.delete({ fileId, permissionId: existing.id, supportsAllDrives: true }),
          );
          return false;
        } catch (error) {
          // Gone between the read and the delete: someone else removed them.
          if (
            isOrchesterError(error) &&
            error.details?.status === 404 &&
            error.code !== 'ORCH_CONFIG'
          ) {
            return true;
          }
          throw error;
        }
      });
      if (gone) return { outcome: 'not-member' };
      return { outcome: 'removed', ...(existing.role ? { role: existing.role } : {}) };
    },

    async *list(): AsyncIterable<MemberRecord> {
      for await (const p of permissions()) {
        if (!isUserPermission(p)) continue;
        yield {
          identifier: p.emailAddress.toLowerCase(),
          state: p.deleted ? 'deactivated' : 'member',
          ...(p.role ? { role: p.role } : {}),
          ...(p.role === 'owner'
            ? { protected: 'owns the item; Drive never takes access from its owner' }
            : {}),
        };
      }
    },

    async close() {
      await auth.flush();
    },
  };
}
