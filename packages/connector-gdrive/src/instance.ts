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
import { AclView } from './acl-view.js';
import { planAuth } from './auth/credentials.js';
import { createDriveAuth } from './auth/google-auth.js';
import { DrivePermissions } from './client.js';
import { DRIVE_ROLES, type DriveRole, type GdriveConfig, type GdriveOptions } from './config.js';
import { hasRole, inheritance, ownRole, rank, type UserPermission } from './permission.js';
import { writeUntilSeen } from './settle-write.js';
import type { TransportOptions } from './transport.js';

const isDriveRole = (role: unknown): role is DriveRole =>
  (DRIVE_ROLES as readonly unknown[]).includes(role);

const byEmail = (people: readonly UserPermission[], email: string) =>
  people.find((p) => p.emailAddress.toLowerCase() === email);

/** Connects one configured instance to Drive: imported by `create()` only when a command needs it. */
export async function createDriveInstance(
  context: ConnectorContext<GdriveConfig>,
): Promise<ConnectorInstance<string>> {
  const { config, instance, clock, signal } = context;
  const fileId = config.file_id;
  const where = `Google Drive (${instance})`;
  const transport: TransportOptions = {
    instance,
    baseUrl: context.baseUrl,
    timeoutMs: config.timeout_ms,
    http: context.http,
  };
  const plan = await planAuth(config, context.configDir);
  const auth = await createDriveAuth(plan, transport, context.logger);
  const { drive } = await import('@googleapis/drive');
  const api = drive({
    version: 'v3',
    auth: auth.client,
    retry: false,
    // googleapis keeps only the origin of rootUrl: paths stay /drive/v3/...
    ...(context.baseUrl ? { rootUrl: `${context.baseUrl.replace(/\/+$/, '')}/` } : {}),
  });
  const permissions = new DrivePermissions(api, auth, fileId, instance);
  const view = new AclView(clock);
  const share = {
    sendNotificationEmail: config.send_notification_email,
    ...(config.email_message ? { emailMessage: config.email_message } : {}),
  };

  /** The whole ACL, read now (one call on a My Drive item, 100 a call on a shared drive). */
  const readAll = async () => {
    const started = clock.now();
    const { people, calls } = await permissions.readAll();
    view.replace(people, started, calls);
    return people;
  };

  /** One person's permission as Drive has it now: by id when the view knows it, else a whole read. */
  const readPerson = async (email: string) => {
    const known = view.get(email);
    if (!known) return byEmail(await readAll(), email);
    const now = await permissions.get(known.id);
    view.note(email, now);
    return now;
  };

  /** Reads a person's permission back after a write: the whole ACL when that is one call, else by id. */
  const readBack = async (email: string, id: string | undefined) => {
    if (view.wholeInOneCall || id === undefined) return byEmail(await readAll(), email);
    const now = await permissions.get(id);
    view.note(email, now);
    return now;
  };

  /** Gives someone the view does not list access; every write is read back and sent again if lost. */
  async function grant(
    email: string,
    role: DriveRole,
    expirationTime: string | undefined,
    emailMessage: string | undefined,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    const wanted = { emailAddress: email, role, ...(expirationTime ? { expirationTime } : {}) };
    let id: string | undefined;
    let bounced: string | undefined;
    let hadRole: string | undefined;
    let created = false;
    const create = async () => {
      try {
        id =
          (
            await permissions.create(wanted, {
              ...share,
              ...(emailMessage ? { emailMessage } : {}),
            })
          ).id ?? id;
      } catch (error) {
        // Drive's errors guide: invalidSharingRequest also comes when "sharing succeeded, but
        // the notification email was not correctly delivered". Only a read tells which.
        if (!isOrchesterError(error) || error.details?.reason !== 'invalidSharingRequest')
          throw error;
        const now = byEmail(await readAll(), email);
        if (!now) throw error;
        id = now.id;
        bounced = error.message;
      }
      created = true;
    };
    await attempt.change('added', () =>
      writeUntilSeen(
        {
          what: `${where}: sharing ${fileId} with ${email}`,
          async write(seen) {
            if (!seen) return create();
            await permissions.update(seen.id, {
              role,
              ...(expirationTime ? { expirationTime } : {}),
            });
          },
          async readBack() {
            const seen = await readBack(email, id);
            // A share never lowers a role: a stronger one after it was there before it.
            if (created && hadRole === undefined && seen && rank(seen.role) > rank(role))
              hadRole = seen.role ?? undefined;
            return seen;
          },
          done: (seen) => hasRole(seen, role, expirationTime),
        },
        undefined,
        clock,
        signal,
      ),
    );
    if (hadRole)
      return {
        outcome: 'role-changed',
        role,
        detail: `was ${hadRole}: Drive had shared it with them since orchester last read the item`,
      };
    return {
      outcome: 'added',
      role,
      ...(bounced
        ? { detail: `shared, but Drive could not send the notification e-mail (${bounced})` }
        : {}),
    };
  }

  /** Brings someone who has access to the asked role and expiry. */
  async function adjust(
    email: string,
    current: UserPermission,
    role: DriveRole,
    expirationTime: string | undefined,
    attempt: ChangeAttempt,
  ): Promise<ChangeResult> {
    if (current.role === 'owner')
      return { outcome: 'already-member', role: 'owner', detail: `owns ${fileId}` };
    const inherited = inheritance(current);
    const own = ownRole(current);
    if (inherited && rank(role) < rank(inherited.role)) {
      throw new UnsupportedError(
        `${email} has ${inherited.role} access to ${fileId} through shared drive ${inherited.from}; Drive cannot reduce inherited access on an item, change it on the shared drive (file_id ${inherited.from})`,
      );
    }
    const through = inherited && !own ? `through shared drive ${inherited.from}` : undefined;
    if (hasRole(current, role, expirationTime))
      return { outcome: 'already-member', role, ...(through ? { detail: through } : {}) };
    if (through && current.role === role) {
      throw new UnsupportedError(
        `${email} has ${role} access to ${fileId} through shared drive ${inherited?.from}, which gives no expiry on the item; set the expiry on the shared drive, or drop expirationTime`,
      );
    }
    const change = { role, ...(expirationTime ? { expirationTime } : {}) };
    const send = () =>
      writeUntilSeen(
        {
          what: `${where}: giving ${email} ${role} access to ${fileId}`,
          async write(seen) {
            // The item's own permission is changed; access only inherited is widened by one.
            if (seen && ownRole(seen)) await permissions.update(seen.id, change);
            else await permissions.create({ emailAddress: email, ...change }, share);
          },
          readBack: () => readBack(email, current.id),
          done: (seen) => hasRole(seen, role, expirationTime),
        },
        current,
        clock,
        signal,
      );
    // A new expiry alone changes no one's membership: nothing to note for a retry.
    if (current.role === role) {
      await send();
      return { outcome: 'already-member', role, detail: `expiry set to ${expirationTime}` };
    }
    await attempt.change('role-changed', send);
    return {
      outcome: 'role-changed',
      role,
      detail: `was ${current.role}${through ? ` ${through}` : ''}`,
    };
  }

  return {
    async check(email): Promise<CheckResult> {
      const p = await readPerson(email);
      if (!p) return { state: 'absent' };
      const inherited = inheritance(p);
      const detail = [
        inherited
          ? `${ownRole(p) ? 'also ' : ''}through shared drive ${inherited.from}${ownRole(p) ? ` (${inherited.role})` : ''}`
          : undefined,
        p.pendingOwner ? 'asked to become the owner' : undefined,
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
      const message = options.emailMessage ?? config.email_message;
      if (options.emailMessage !== undefined && !config.send_notification_email) {
        throw new InvalidInputError(
          `emailMessage is sent with Drive's notification e-mail, which ${instance} has turned off; set send_notification_email: true, or drop emailMessage`,
        );
      }
      try {
        // An absence a recent whole read saw is believed: the share and its read-back put the
        // person in place either way. Presence is always read again.
        const current = view.fresh && !view.get(email) ? undefined : await readPerson(email);
        // No role asked for: someone already there keeps theirs; config's role is for newcomers.
        const kept = current && isDriveRole(current.role) ? current.role : undefined;
        return current
          ? await adjust(
              email,
              current,
              options.role ?? kept ?? config.role,
              options.expirationTime,
              attempt,
            )
          : await grant(
              email,
              options.role ?? config.role,
              options.expirationTime,
              message,
              attempt,
            );
      } catch (error) {
        view.forget();
        throw error;
      }
    },

    async remove(email, _options, attempt): Promise<ChangeResult> {
      try {
        // Only a read says someone is not there; the view only says where to look.
        let current = view.get(email) ?? byEmail(await readAll(), email);
        if (current && (current.role === 'owner' || inheritance(current))) {
          current = await permissions.get(current.id);
          view.note(email, current);
        }
        if (!current) return { outcome: 'not-member' };
        const inherited = inheritance(current);
        if (current.role === 'owner') {
          throw new UnsupportedError(
            `${email} owns ${fileId}, and Drive never takes access away from an item's owner; transfer ownership in Drive first, then remove them`,
          );
        }
        if (inherited && !ownRole(current)) {
          throw new UnsupportedError(
            `${email} has access to ${fileId} through shared drive ${inherited.from}; remove them from that shared drive (file_id ${inherited.from}) instead`,
          );
        }
        if (inherited) {
          throw new UnsupportedError(
            `${email} has access to ${fileId} of their own and also through shared drive ${inherited.from} (${inherited.role}); removing their own would leave them that, so remove them from the shared drive (file_id ${inherited.from}) first`,
          );
        }
        if (ownRole(current) === 'organizer' && onlyOrganizer(await readAll(), email)) {
          throw new UnsupportedError(
            `${email} is the only organizer of shared drive ${fileId}; without one, no one could manage its members again. Make someone else an organizer first, then remove them`,
          );
        }
        const { id } = current;
        let goneBefore: boolean | undefined;
        await attempt.change(
          'removed',
          () =>
            writeUntilSeen(
              {
                what: `${where}: removing ${email} from ${fileId}`,
                async write() {
                  const deleted = await permissions.delete(id);
                  // Gone before orchester's first delete: someone else removed them.
                  goneBefore ??= !deleted;
                },
                readBack: () => readBack(email, id),
                done: (seen) => seen === undefined,
              },
              current,
              clock,
              signal,
            ),
          // A delete that found nothing removed no one.
          { changed: () => goneBefore !== true },
        );
        if (goneBefore) return { outcome: 'not-member' };
        return { outcome: 'removed', ...(current.role ? { role: current.role } : {}) };
      } catch (error) {
        view.forget();
        throw error;
      }
    },

    /** Proves the credentials and the item: the permission list every check reads. */
    async verify() {
      await readAll();
    },

    async *list(): AsyncIterable<MemberRecord> {
      const all = await readAll();
      for (const p of all) {
        const email = p.emailAddress.toLowerCase();
        yield {
          identifier: email,
          state: p.deleted ? 'deactivated' : 'member',
          ...(p.role ? { role: p.role } : {}),
          ...(p.displayName ? { name: p.displayName } : {}),
          ...(p.role === 'owner'
            ? { protected: 'owns the item; Drive never takes access from its owner' }
            : ownRole(p) === 'organizer' && onlyOrganizer(all, email)
              ? {
                  protected:
                    'the only organizer of the shared drive; orchester never leaves it without one',
                }
              : {}),
        };
      }
    },

    async close() {
      await auth.flush();
    },
  };
}

/** True when `email` is the one person whose own role on the item is organizer. */
function onlyOrganizer(all: readonly UserPermission[], email: string): boolean {
  const organizers = all.filter((p) => ownRole(p) === 'organizer');
  return organizers.length === 1 && organizers[0]?.emailAddress?.toLowerCase() === email;
}
