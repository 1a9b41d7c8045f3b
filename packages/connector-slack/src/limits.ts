import type { ConnectorLimits } from '@orchester/core';
import type { SlackMode } from './config.js';

/**
 * Jobs per instance, below Slack's published limits. A job makes one write (admin.users.*, SCIM or
 * users.admin.*) and at most a read or two in other tiers, so the write's limit decides:
 * - admin: admin.users.* are Tier 2 (20+/min): 5 per 15 s keeps 500 people at 20/min without bursts.
 * - scim: user writes are 180/min with bursts of 20, shared by every SCIM app of the org: 2/s.
 * - legacy: users.admin.* publish no tier; treated as Tier 2.
 */
export const SLACK_MODE_LIMITS: Readonly<Record<SlackMode, ConnectorLimits>> = {
  admin: { concurrency: 2, rate: { max: 5, durationMs: 15_000 } },
  scim: { concurrency: 2, rate: { max: 2, durationMs: 1_000 } },
  legacy: { concurrency: 2, rate: { max: 5, durationMs: 15_000 } },
};
