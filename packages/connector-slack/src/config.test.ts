import { describe, expect, it } from 'vitest';
import { modeOf, slackConfigSchema } from './config.js';
import slack from './index.js';
import { SLACK_MODE_LIMITS } from './limits.js';

const issues = (block: Record<string, unknown>) => {
  const parsed = slackConfigSchema.safeParse(block);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('slack config', () => {
  it('keeps the seed’s keys working: token, legacy_token, client_id, client_secret mean legacy mode', () => {
    const block = { token: 'xoxb-1', legacy_token: 'xoxp-2', client_id: '1.2', client_secret: 's' };
    expect(issues(block)).toEqual([]);
    expect(modeOf(slackConfigSchema.parse(block))).toBe('legacy');
  });

  it('picks admin with a team_id and scim otherwise', () => {
    expect(modeOf({ team_id: 'T0123ABCD' })).toBe('admin');
    expect(modeOf({ token: 'xoxp-1' })).toBe('scim');
    expect(modeOf({ mode: 'scim', team_id: 'T0123ABCD' })).toBe('scim');
  });

  it('names channel_ids when admin mode has none', () => {
    const found = issues({ mode: 'admin', admin_token: 'xoxp-1', team_id: 'T0123ABCD' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      path: 'channel_ids',
      message: expect.stringContaining('at least one channel'),
    });
    expect(
      issues({ mode: 'admin', admin_token: 'xoxp-1', team_id: 'T0123ABCD', channel_ids: [] })[0]
        ?.path,
    ).toBe('channel_ids');
  });

  it('names the missing key of each mode and refuses unknown keys', () => {
    expect(
      issues({ mode: 'admin', admin_token: 'x', channel_ids: ['C0123'] }).map((i) => i.path),
    ).toEqual(['team_id']);
    expect(issues({ mode: 'scim' }).map((i) => i.path)).toEqual(['token']);
    expect(issues({ mode: 'legacy', token: 'x' }).map((i) => i.path)).toEqual(['legacy_token']);
    expect(issues({ token: 'x', tokne: 'y' })[0]?.message).toMatch(/tokne/);
    expect(issues({ token: 'x', channels: ['general'] })[0]?.path).toBe('channels.0');
  });

  it('marks admin_token as a secret and gives each mode its own limits', () => {
    expect(slack.secretFields).toContain('admin_token');
    const admin = slack.limitsFor!(
      slackConfigSchema.parse({
        mode: 'admin',
        admin_token: 'x',
        team_id: 'T0123ABCD',
        channel_ids: ['C0123'],
      }),
    );
    const scim = slack.limitsFor!(slackConfigSchema.parse({ token: 'x' }));
    expect(admin).toBe(SLACK_MODE_LIMITS.admin);
    expect(scim).toBe(SLACK_MODE_LIMITS.scim);
    // 500 people at these rates stay within Slack's published limits (Tier 2: 20/min; SCIM writes: 180/min).
    const perMinute = (l: typeof admin) => (l.rate!.max * 60_000) / l.rate!.durationMs;
    expect(perMinute(admin)).toBeLessThanOrEqual(20);
    expect(perMinute(scim)).toBeLessThanOrEqual(180);
    expect(scim.rate!.max).toBeLessThanOrEqual(20);
  });
});
