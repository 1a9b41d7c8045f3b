import type {
  ChangeResult,
  ConnectorContext,
  ConnectorInstance,
  MemberRecord,
} from '@orchester/core';
import { modeOf, type SlackConfig } from './config.js';
import { DeactivatedAccounts } from './deactivated-accounts.js';
import { memberRecordOf } from './membership.js';
import { adminWrites } from './modes/admin.js';
import type { Door, DoorResult } from './modes/door.js';
import { legacyWrites } from './modes/legacy.js';
import { scimDoor } from './modes/scim.js';
import { webApiDoor } from './modes/web-api-door.js';
import { emailsOf, SlackScimApi } from './scim-api.js';
import { SlackWebApi } from './web-api.js';

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
  if (mode === 'admin') {
    const admin = await open(['admin_token', 'token']);
    const teamId = config.team_id ?? '';
    const deactivated = new DeactivatedAccounts(
      (cursor) => admin.deactivatedPage(teamId, cursor),
      context.clock,
    );
    const writes = adminWrites(teamId, config.channel_ids ?? []);
    door = webApiDoor(reader, admin, writes, deactivated, leaveChannels);
  } else if (mode === 'scim') {
    const admin = tokenOf(config, ['admin_token', 'token']);
    scim = new SlackScimApi(context, admin.token, admin.key);
    door = scimDoor(reader, scim);
  } else {
    const legacy = await open(['legacy_token']);
    const deactivated = new DeactivatedAccounts(async (cursor) => {
      const { items, next } = await reader.usersPage(undefined, cursor);
      const accounts = items.flatMap((u) =>
        u.deleted && u.profile?.email ? [{ id: u.id, email: u.profile.email }] : [],
      );
      return { accounts, next };
    }, context.clock);
    door = webApiDoor(reader, legacy, legacyWrites(channels), deactivated, leaveChannels);
  }

  const inviteToChannels = async (email: string, result: DoorResult): Promise<ChangeResult> => {
    const { userId, ...change } = result;
    // Invitees join the channels the invitation named; only existing accounts are invited here.
    if (
      channels.length === 0 ||
      change.outcome === 'invited' ||
      change.outcome === 'already-invited'
    )
      return change;
    const id = userId ?? (await reader.lookupByEmail(email))?.id;
    if (!id) return change;
    for (const channel of channels) {
      await reader.call('conversations.invite', { channel, users: id }, ['already_in_channel']);
    }
    return change;
  };

  return {
    check: (email) => door.check(email),
    async add(email, options, attempt) {
      return inviteToChannels(email, await door.add(email, options, attempt));
    },
    async remove(email, _options, attempt) {
      const { userId: _id, ...change } = await door.remove(email, attempt);
      return change;
    },
    async *list(): AsyncIterable<MemberRecord> {
      if (scim) {
        for await (const user of scim.users()) {
          const email = emailsOf(user)[0];
          if (user.active && email)
            yield { identifier: email, state: 'member', aliases: [user.id.toLowerCase()] };
        }
        return;
      }
      for await (const user of reader.users(mode === 'admin' ? config.team_id : undefined)) {
        const record = memberRecordOf(user);
        if (record) yield record;
      }
    },
  };
}
