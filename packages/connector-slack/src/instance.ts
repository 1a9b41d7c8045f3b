import type {
  ChangeResult,
  ConnectorContext,
  ConnectorInstance,
  GroupMembership,
  ListOptions,
  MemberRecord,
  MembershipOptions,
} from '@orchester/core';
import { SlackWebApi } from './client.js';
import { modeOf, type SlackConfig } from './config.js';
import { DeactivatedAccounts } from './deactivated-accounts.js';
import { memberRecordOf } from './membership.js';
import { adminWrites } from './modes/admin.js';
import type { Door, DoorResult } from './modes/door.js';
import { legacyWrites } from './modes/legacy.js';
import { scimDoor } from './modes/scim.js';
import { webApiDoor } from './modes/web-api-door.js';
import { emailsOf, SlackScimApi } from './scim-api.js';

/** The first configured token among `keys`, with its key for messages. */
function tokenOf(
  config: SlackConfig,
  keys: ReadonlyArray<'token' | 'admin_token' | 'legacy_token'>,
): { token: string; key: string } {
  for (const key of keys) {
    const value = config[key];
    if (value) return { token: value, key };
  }
  // The config schema guarantees one of them per mode.
  throw new Error(`none of ${keys.join(', ')} is set`);
}

/** Builds the live instance for one validated config block. */
export async function createSlackInstance(
  context: ConnectorContext<SlackConfig>,
): Promise<ConnectorInstance<string>> {
  const { config } = context;
  const mode = modeOf(config);
  const read = tokenOf(config, ['token', 'admin_token', 'legacy_token']);
  const reader = await SlackWebApi.open(context, read.token, read.key, mode);
  const channels = config.channels ?? [];
  const open = async (keys: ReadonlyArray<'token' | 'admin_token' | 'legacy_token'>) => {
    const { token, key } = tokenOf(config, keys);
    return token === read.token ? reader : SlackWebApi.open(context, token, key, mode);
  };
  const leaveChannels = async (userId: string) => {
    for (const channel of channels) {
      await reader.call('conversations.kick', { channel, user: userId }, [
        'not_in_channel',
        'user_not_found',
      ]);
    }
  };

  let door: Door;
  let scim: SlackScimApi | undefined;
  // One cheap read per configured token, for `verify()`: each token the instance writes with
  // proves itself on what it reads.
  const teamScope = mode === 'admin' ? config.team_id : undefined;
  const proofs: Array<() => Promise<unknown>> = [() => reader.usersPage(teamScope, undefined)];
  if (mode === 'admin') {
    const admin = await open(['admin_token', 'token']);
    const teamId = config.team_id ?? '';
    const deactivated = new DeactivatedAccounts(
      (cursor) => admin.deactivatedPage(teamId, cursor),
      context.clock,
    );
    const writes = adminWrites(teamId, config.channel_ids ?? []);
    proofs.push(() => admin.deactivatedPage(teamId, undefined));
    door = webApiDoor(reader, admin, writes, deactivated, leaveChannels);
  } else if (mode === 'scim') {
    const admin = tokenOf(config, ['admin_token', 'token']);
    const api = new SlackScimApi(context, admin.token, admin.key);
    scim = api;
    proofs.push(async () => {
      for await (const _ of api.users(1)) break;
    });
    door = scimDoor(reader, scim);
  } else {
    const legacy = await open(['legacy_token']);
    proofs.push(() => legacy.usersPage(undefined, undefined));
    const deactivated = new DeactivatedAccounts(async (cursor) => {
      const { items, next } = await reader.usersPage(undefined, cursor);
      const accounts = items.flatMap((u) =>
        u.deleted && u.profile?.email ? [{ id: u.id, email: u.profile.email }] : [],
      );
      return { accounts, next };
    }, context.clock);
    door = webApiDoor(reader, legacy, legacyWrites(channels), deactivated, leaveChannels);
  }

  /**
   * Joins the channels of `options.channels` (else config's) and leaves those of
   * `options.leaveChannels`. Invitees join the channels the invitation named; only existing
   * accounts are invited or kicked here, so a plan finds the rest once they have joined.
   */
  const settleChannels = async (
    email: string,
    result: DoorResult,
    options: MembershipOptions,
  ): Promise<ChangeResult> => {
    const { userId, ...change } = result;
    const joining = stringsOf(options.channels) ?? channels;
    const leaving = stringsOf(options.leaveChannels) ?? [];
    if (
      (joining.length === 0 && leaving.length === 0) ||
      change.outcome === 'invited' ||
      change.outcome === 'already-invited'
    )
      return change;
    const id = userId ?? (await reader.lookupByEmail(email))?.id;
    if (!id) return change;
    for (const channel of joining) {
      await reader.call('conversations.invite', { channel, users: id }, ['already_in_channel']);
    }
    for (const channel of leaving) {
      await reader.call('conversations.kick', { channel, user: id }, ['not_in_channel']);
    }
    if (!options.channels && !options.leaveChannels) return change;
    const said = [
      joining.length > 0 ? `channels: ${joining.join(', ')}` : '',
      leaving.length > 0 ? `left channels: ${leaving.join(', ')}` : '',
    ].filter(Boolean);
    return { ...change, detail: [change.detail, ...said].filter(Boolean).join('; ') };
  };

  /** Who is in each channel of `options.groups`, by user ID (upper-case, as Slack writes it). */
  const channelMemberships = async (
    options: ListOptions,
  ): Promise<Map<string, GroupMembership[]> | undefined> => {
    if (!options.groups || options.groups.length === 0) return undefined;
    const byUser = new Map<string, GroupMembership[]>();
    for (const channel of options.groups) {
      for (const id of await reader.channelMembers(channel)) {
        const groups = byUser.get(id) ?? [];
        groups.push({ group: channel });
        byUser.set(id, groups);
      }
    }
    return byUser;
  };

  return {
    check: (email) => door.check(email),
    async verify() {
      for (const proof of proofs) await proof();
    },
    async add(email, options, attempt) {
      return settleChannels(email, await door.add(email, options, attempt), options);
    },
    async remove(email, _options, attempt) {
      const { userId: _id, ...change } = await door.remove(email, attempt);
      return change;
    },
    async *list(options: ListOptions = {}): AsyncIterable<MemberRecord> {
      const inChannels = await channelMemberships(options);
      const withGroups = (record: MemberRecord, userId: string): MemberRecord =>
        inChannels && record.state === 'member'
          ? { ...record, groups: inChannels.get(userId) ?? [] }
          : record;
      if (scim) {
        for await (const user of scim.users()) {
          const email = emailsOf(user)[0];
          if (user.active && email)
            yield withGroups(
              {
                identifier: email,
                state: 'member',
                aliases: [user.id.toLowerCase()],
                ...(user.displayName ? { name: user.displayName } : {}),
              },
              user.id,
            );
        }
        return;
      }
      for await (const user of reader.users(mode === 'admin' ? config.team_id : undefined)) {
        const record = memberRecordOf(user);
        if (record) yield withGroups(record, user.id);
      }
    },
  };
}

/** The strings of an option that should be a list of them; undefined when it is not a list. */
function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}
