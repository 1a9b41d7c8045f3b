import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { optionValueOf, typedOptions } from './coerce.js';
import { describeOptions } from './describe.js';
import { optionFlagTable, optionsFor, optionsFromFlags } from './option-flags.js';

const schema = z
  .object({
    role: z
      .enum(['member', 'admin'])
      .optional()
      .meta({ description: 'the role', actions: ['add'] }),
    teams: z
      .array(z.string())
      .optional()
      .meta({ actions: ['add'] }),
    removeFromBoards: z
      .boolean()
      .optional()
      .meta({ actions: ['remove'] }),
    until: z.iso.datetime().optional(),
    seats: z.number().int().optional(),
    nested: z.object({ a: z.string() }).optional(),
    refused: z.never().optional(),
  })
  .strict()
  .transform((o) => o);

describe('describeOptions', () => {
  it('reads names, kinds, choices, descriptions and actions from a zod schema, transforms included', () => {
    expect(describeOptions(schema)).toEqual([
      {
        name: 'role',
        kind: 'string',
        choices: ['member', 'admin'],
        description: 'the role',
        actions: ['add'],
      },
      { name: 'teams', kind: 'list', actions: ['add'] },
      { name: 'removeFromBoards', kind: 'boolean', actions: ['remove'] },
      { name: 'until', kind: 'string', format: 'date-time', actions: ['add', 'remove'] },
      { name: 'seats', kind: 'number', actions: ['add', 'remove'] },
    ]);
  });

  it('is undefined for what is not an object of options', () => {
    expect(describeOptions(z.string())).toBeUndefined();
    expect(describeOptions({ not: 'a schema' })).toBeUndefined();
  });
});

describe('text as the option wants it', () => {
  const options = describeOptions(schema)!;
  const option = (name: string) => options.find((o) => o.name === name)!;

  it('a,b is a list (repeated flags too), true/false a boolean, digits a number', () => {
    expect(optionValueOf(option('teams'), ' eng, ops ,')).toEqual(['eng', 'ops']);
    expect(optionValueOf(option('teams'), ['eng', 'ops,qa'])).toEqual(['eng', 'ops', 'qa']);
    expect(optionValueOf(option('removeFromBoards'), 'TRUE')).toBe(true);
    expect(optionValueOf(option('removeFromBoards'), 'no')).toBe(false);
    expect(optionValueOf(option('seats'), '3')).toBe(3);
  });

  it('leaves what does not fit for the schema to refuse', () => {
    expect(optionValueOf(option('removeFromBoards'), 'maybe')).toBe('maybe');
    expect(optionValueOf(option('seats'), 'three')).toBe('three');
    expect(schema.safeParse({ removeFromBoards: 'maybe' }).success).toBe(false);
  });

  it('a batch row: lower-cased headers find their option; other keys stay', () => {
    expect(typedOptions({ removefromboards: 'true', teams: 'a,b', other: 'x' }, options)).toEqual({
      removeFromBoards: true,
      teams: ['a', 'b'],
      other: 'x',
    });
  });
});

describe('connector options as flags', () => {
  const github = { type: 'github', options: describeOptions(schema) };
  const other = {
    type: 'other',
    options: describeOptions(
      z.object({
        removeFromBoards: z.string().optional(),
        role: z
          .enum(['owner'])
          .optional()
          .meta({ actions: ['add'] }),
      }),
    ),
  };

  it('one table for every connector of an action: --no- for booleans, choices merged', () => {
    expect(optionFlagTable([github], 'remove')).toMatchObject({
      removeFromBoards: { type: 'boolean' },
      'no-removeFromBoards': { type: 'boolean' },
      until: { type: 'string' },
    });
    expect(optionFlagTable([github, other], 'add').role).toMatchObject({
      type: 'string',
      complete: ['member', 'admin', 'owner'],
    });
  });

  it('a name two connectors read differently takes a value, without --no-', () => {
    const table = optionFlagTable([github, other], 'remove');
    expect(table.removeFromBoards).toMatchObject({ type: 'string' });
    expect(table['no-removeFromBoards']).toBeUndefined();
  });

  it('reads the given flags as the instance connector takes them, and names what it takes otherwise', () => {
    const own = optionsFor(github.options, 'add');
    const flags = ['role', 'teams', 'removeFromBoards', 'no-removeFromBoards'];
    expect(
      optionsFromFlags({ role: 'admin', teams: ['a,b'] }, flags, own, 'add', 'gh (github)'),
    ).toEqual({
      role: 'admin',
      teams: ['a', 'b'],
    });
    expect(() =>
      optionsFromFlags({ removeFromBoards: true }, flags, own, 'add', 'gh (github)'),
    ).toThrow(
      'add: --removeFromBoards is not an option of gh (github); it takes --role, --teams, --until, --seats',
    );
    const removal = optionsFor(github.options, 'remove');
    expect(optionsFromFlags({ 'no-removeFromBoards': true }, flags, removal, 'rm', 'gh')).toEqual({
      removeFromBoards: false,
    });
  });
});
