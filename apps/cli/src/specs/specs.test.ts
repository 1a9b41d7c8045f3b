import { describe, expect, it } from 'vitest';
import { flagsOf, wordsOf } from '../args.js';
import type { CommandSpec } from '../command-spec.js';
import { COMMAND_SPECS, findSpec } from './index.js';

const everyTable: Array<[string, CommandSpec]> = COMMAND_SPECS.flatMap((spec) =>
  (spec.subcommands ?? [spec]).map((s): [string, CommandSpec] => [
    s === spec ? spec.name : `${spec.name} ${s.name}`,
    s,
  ]),
);

describe('the command tables', () => {
  it('give a flag one meaning on every command, so completion can tell a value from a word', () => {
    const seen = new Map<string, string>();
    for (const [path, spec] of everyTable) {
      for (const [name, flag] of Object.entries(flagsOf(spec))) {
        const meaning = `${flag.type}${flag.short ? ` -${flag.short}` : ''}`;
        expect({ flag: name, path, meaning }).toEqual({
          flag: name,
          path,
          meaning: seen.get(name) ?? meaning,
        });
        seen.set(name, meaning);
      }
    }
  });

  it('give every command a usage that names it, a summary, flags described and an example', () => {
    for (const [path, spec] of everyTable) {
      expect(spec.usage.every((u) => u.replace('[-c NAME] ', '').startsWith(path))).toBe(true);
      expect(spec.summary).not.toBe('');
      expect(spec.examples.length).toBeGreaterThan(0);
      for (const flag of Object.values(flagsOf(spec))) expect(flag.description).not.toBe('');
      const shorts = Object.values(flagsOf(spec)).flatMap((f) => (f.short ? [f.short] : []));
      expect(new Set(shorts).size).toBe(shorts.length);
    }
  });

  it("keep a command's own flags when a connector option has the same name", () => {
    const add = findSpec('add')!;
    const table = flagsOf(add, { json: { type: 'string', description: 'a connector option' } });
    expect(table.json).toBe(add.flags.json);
  });

  it('find a command by its name or alias', () => {
    expect(findSpec('remove')?.name).toBe('rm');
    expect(findSpec('nosuch')).toBeUndefined();
  });
});

describe('wordsOf', () => {
  const table = flagsOf(findSpec('batch')!, { id: { type: 'string', description: 'id' } });

  it('skips flags and the values of flags that take one, and stops reading flags at --', () => {
    expect(wordsOf(['--id', 'apply', 'status', 'b1', '--json'], table)).toEqual(['status', 'b1']);
    expect(wordsOf(['report', '--', '--help'], table)).toEqual(['report', '--help']);
  });
});
