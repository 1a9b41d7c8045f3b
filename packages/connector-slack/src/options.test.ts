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

  it('refuse per-person channels, saying they are the instance\'s "channels" config', () => {
    const result = optionsEntry.safeParse({ channels: ['C0ONBOARD1'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['channels'],
      message: expect.stringContaining(
        'Slack channels are set per instance, not per person: list the channel IDs (C...) in the instance\'s "channels" config',
      ),
    });
  });
});
