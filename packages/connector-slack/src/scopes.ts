import type { SlackMode } from './config.js';

/** Bot scopes every mode needs for check and list. */
export const READ_SCOPES = ['users:read', 'users:read.email'] as const;
/**
 * Bot scopes for channels: conversations.invite and conversations.kick, and conversations.members
 * for plans that manage channels (public and private ones).
 */
export const CHANNEL_SCOPES = [
  'channels:manage',
  'groups:write',
  'channels:read',
  'groups:read',
] as const;

/** User scopes the write door of each mode needs (legacy tokens can no longer be issued). */
export const USER_SCOPES: Readonly<Record<SlackMode, readonly string[]>> = {
  admin: ['admin.users:read', 'admin.users:write'],
  scim: ['admin'],
  legacy: [],
};
