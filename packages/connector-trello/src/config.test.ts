import { describe, expect, it } from 'vitest';
import { trelloConfigSchema, trelloIdentifierSchema, trelloOptionsSchema } from './config.js';

const base = { api_key: 'k'.repeat(32), token: 't'.repeat(64) };

describe('trello config', () => {
  it('takes organization, or the seed spelling org, and fills defaults', () => {
    expect(trelloConfigSchema.parse({ ...base, organization: 'acme' })).toEqual({
      ...base,
      organization: 'acme',
      timeout_ms: 15_000,
      remove_from_boards: false,
    });
    expect(trelloConfigSchema.parse({ ...base, org: 'acme' }).organization).toBe('acme');
  });

  it('accepts the seed OAuth 1.0a keys', () => {
    const parsed = trelloConfigSchema.parse({
      ...base,
      org: 'acme',
      api_secret: 's'.repeat(64),
      token_secret: 'x'.repeat(32),
    });
    expect(parsed.api_secret).toBe('s'.repeat(64));
  });

  it('names the missing or wrong field and the fix', () => {
    const noOrg = trelloConfigSchema.safeParse(base);
    expect(noOrg.success).toBe(false);
    expect(noOrg.error?.issues[0]?.path).toEqual(['organization']);
    expect(noOrg.error?.issues[0]?.message).toMatch(/workspace id or short name/);

    const noToken = trelloConfigSchema.safeParse({ api_key: base.api_key, organization: 'acme' });
    expect(noToken.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['token', expect.stringMatching(/orchest generate trello/)],
    ]);

    const quoted = trelloConfigSchema.safeParse({
      ...base,
      token: 'abc"def',
      organization: 'acme',
    });
    expect(quoted.error?.issues[0]?.message).toMatch(/token holds a space, quote or comma/);

    const clash = trelloConfigSchema.safeParse({ ...base, org: 'a', organization: 'b' });
    expect(clash.error?.issues[0]?.path).toEqual(['org']);

    const unknown = trelloConfigSchema.safeParse({ ...base, organization: 'acme', board: 'x' });
    expect(unknown.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});

describe('trello identifiers', () => {
  it('normalizes usernames and e-mails', () => {
    expect(trelloIdentifierSchema.parse('Ada_L')).toBe('ada_l');
    expect(trelloIdentifierSchema.parse('@grace')).toBe('grace');
    expect(trelloIdentifierSchema.parse(' Ada@Example.COM ')).toBe('ada@example.com');
  });

  it('refuses what is neither', () => {
    for (const bad of ['', 'ada lovelace', 'ada@', 'a/b', '@']) {
      expect(trelloIdentifierSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('trello options', () => {
  it('takes a role, a full name and removeFromBoards, and drops absent keys', () => {
    expect(trelloOptionsSchema.parse({ role: 'admin', fullName: ' Ada ' })).toEqual({
      role: 'admin',
      fullName: 'Ada',
    });
    expect(trelloOptionsSchema.parse({ removeFromBoards: true })).toEqual({
      removeFromBoards: true,
    });
    expect(Object.keys(trelloOptionsSchema.parse({}))).toEqual([]);
    expect(trelloOptionsSchema.safeParse({ role: 'owner' }).success).toBe(false);
    expect(trelloOptionsSchema.safeParse({ boards: true }).success).toBe(false);
  });
});
