// `verify()`: the credentials can manage members of the organization, or the error says why not.
import { describe, expect, it } from 'vitest';
import { connect, failure, githubPerTest } from './test-support/harness.js';

const env = githubPerTest();

describe('verify', () => {
  it("passes for an owner's token with admin:org", async () => {
    const { instance, calls } = await connect(env.gh);
    await expect(instance.verify?.()).resolves.toBeUndefined();
    expect(calls.map((c) => [c.route, c.status])).toEqual([['/orgs/{org}/invitations', 200]]);
  });

  it("refuses a member's token without admin:org: PermissionError", async () => {
    env.gh.state.tokens.bob_token_000000000000 = {
      kind: 'pat',
      login: 'bob',
      scopes: ['read:org'],
    };
    const { instance } = await connect(env.gh, { token: 'bob_token_000000000000' });
    const error = await failure(instance.verify?.() ?? Promise.resolve());
    expect(error).toMatchObject({ code: 'ORCH_PERMISSION' });
  });

  it('names a wrong org as a config error', async () => {
    const { instance } = await connect(env.gh, { org: 'no-such-org' });
    const error = await failure(instance.verify?.() ?? Promise.resolve());
    expect(error).toMatchObject({
      code: 'ORCH_CONFIG',
      message: expect.stringMatching(/no-such-org/),
    });
  });
});
