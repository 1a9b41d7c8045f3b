import type {
  ChangeResult,
  ConnectorContext,
  ConnectorInstance,
  MemberRecord,
} from '@orchester/core';
import { modeOf, type SlackConfig } from './config.js';
import { checkResultOf, memberRecordOf } from './membership.js';
import { adminDoor } from './modes/admin.js';
import type { DoorResult, WriteDoor } from './modes/door.js';
import { legacyDoor } from './modes/legacy.js';
import { scimDoor } from './modes/scim.js';
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

  let door: WriteDoor;
  let scim: SlackScimApi | undefined;
  if (mode === 'admin') {
    const admin = tokenOf(config, ['admin_token', 'token']);
    const adminApi =
      admin.token === read.token
        ? reader
        : await SlackWebApi.open(context, admin.token, admin.key, mode);
    door = adminDoor(adminApi, config.team_id ?? '', config.channel_ids ?? []);
  } else if (mode === 'scim') {
    const admin = tokenOf(config, ['admin_token', 'token']);
    scim = new SlackScimApi(context, admin.token, admin.key);
    door = scimDoor(scim);
  } else {
    const legacy = tokenOf(config, ['legacy_token']);
    door = legacyDoor(await SlackWebApi.open(context, legacy.token, legacy.key, mode), channels);
  }

  const inviteToChannels = async (result: DoorResult): Promise<ChangeResult> => {
    const { userId, ...change } = result;
    // Invitees join the channels the invitation named; only existing accounts are invited here.
    if (
      !userId ||
      channels.length === 0 ||
      change.outcome === 'invited' ||
      change.outcome === 'already-invited'
    )
      return change;
    for (const channel of channels) {
      await reader.call('conversations.invite', { channel, users: userId }, ['already_in_channel']);
    }
    return change;
  };

  return {
    async check(email) {
      return checkResultOf(await reader.lookupByEmail(email));
    },
    async add(email, options, attempt) {
      const found = await reader.lookupByEmail(email);
      return inviteToChannels(await door.add(email, options, found, attempt));
    },
    async remove(email, _options, attempt) {
      const found = await reader.lookupByEmail(email);
      if (door.keepsAccount && found && !found.deleted && !found.is_invited_user) {
        // The account outlives the removal, so it leaves the configured channels first.
        for (const channel of channels) {
          await reader.call('conversations.kick', { channel, user: found.id }, [
            'not_in_channel',
            'user_not_found',
          ]);
        }
      }
      const { userId: _id, ...change } = await door.remove(email, found, attempt);
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
