import type { CheckResult, MemberRecord } from '@orchester/core';
import type { SlackUser } from './client.js';

/** Slackbot is no bot by its flags, yet never a person. */
const SLACKBOT = 'USLACKBOT';

/** True for accounts that are never people: bots, apps and Slackbot. */
export function isBot(user: SlackUser): boolean {
  return user.is_bot === true || user.id === SLACKBOT;
}

function roleOf(user: SlackUser): string {
  return user.is_owner ? 'owner' : user.is_admin ? 'admin' : 'member';
}

/** Where the person behind a users.lookupByEmail answer stands. */
export function checkResultOf(user: SlackUser | undefined): CheckResult {
  if (!user || isBot(user)) return { state: 'absent' };
  if (user.deleted) return { state: 'deactivated', detail: 'the Slack account is deactivated' };
  if (user.is_invited_user)
    return { state: 'invited', role: roleOf(user), detail: 'invited, has not joined yet' };
  return { state: 'member', role: roleOf(user) };
}

/** A users.list entry as a snapshot record, or undefined for bots, deactivated and e-mail-less accounts. */
export function memberRecordOf(user: SlackUser): MemberRecord | undefined {
  const email = user.profile?.email?.toLowerCase();
  if (!email || isBot(user) || user.deleted) return undefined;
  return {
    identifier: email,
    state: user.is_invited_user ? 'invited' : 'member',
    role: roleOf(user),
    aliases: [user.id.toLowerCase(), ...(user.name ? [user.name.toLowerCase()] : [])],
    ...(user.real_name ? { name: user.real_name } : {}),
    ...(user.is_primary_owner
      ? { protected: "is the workspace's primary owner, whom Slack never lets an API remove" }
      : {}),
  };
}
