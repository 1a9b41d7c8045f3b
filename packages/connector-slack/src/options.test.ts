import { describe, expect, it } from 'vitest';
import slack from './index.js';
import optionsEntry from './options.js';

describe("Slack's options", () => {
  it("take a role and a name; the ./options entry is the connector's own schema", () => {
    expect(optionsEntry).toBe(slack.optionsSchema);
    expect(optionsEntry.parse({ role: 'member', fullName: ' Ada ' })).toEqual({
      role: 'member',
      fullName: 'Ada',
    });
  });

  it('take per-person channel IDs to join and to leave, and refuse a #name, naming the field', () => {
    expect(optionsEntry.parse({ channels: ['C0ONBOARD1'], leaveChannels: ['G0SECRET01'] })).toEqual(
      {
        channels: ['C0ONBOARD1'],
        leaveChannels: ['G0SECRET01'],
      },
    );
    const result = optionsEntry.safeParse({ channels: ['#general'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['channels', 0],
      message: expect.stringContaining('a Slack channel ID such as C0123ABCD'),
    });
  });
});
