import type { FlagSpec, FlagTable } from '../command-spec.js';
import { UsageError } from '../usage-error.js';
import { optionValueOf } from './coerce.js';
import type { ConnectorOption, WriteAction } from './describe.js';
import type { OptionSet } from './option-sets.js';

/** The options that `action` takes. */
export function optionsFor(
  options: readonly ConnectorOption[] | undefined,
  action: WriteAction,
): ConnectorOption[] {
  return (options ?? []).filter((o) => o.actions.includes(action));
}

/** How help writes an option's value: its choices, or what it looks like. */
export function valueNameOf(option: ConnectorOption): string | undefined {
  if (option.kind === 'boolean') return undefined;
  if (option.kind === 'list') return option.choices ? `${option.choices.join('|')},...` : 'A,B';
  if (option.choices) return option.choices.join('|');
  if (option.kind === 'number') return 'N';
  return option.format === 'date-time' ? 'TIME' : 'TEXT';
}

/** The flag that carries one option: `--teams a,b` (or repeated), `--removeFromBoards`. */
export function flagOf(option: ConnectorOption): FlagSpec {
  const description = option.description ?? option.name;
  if (option.kind === 'boolean') return { type: 'boolean', description };
  const value = valueNameOf(option);
  return {
    type: 'string',
    ...(option.kind === 'list' ? { multiple: true } : {}),
    ...(value ? { value } : {}),
    description,
    ...(option.choices ? { complete: option.choices } : {}),
  };
}

/**
 * The flags of every connector's options for `action`, so one strict parse reads a command line
 * whatever the instance: `--NAME` for each, and `--no-NAME` for a boolean. When two connectors
 * give one name different kinds, the flag takes a value, and each connector reads it its way.
 */
export function optionFlagTable(sets: readonly OptionSet[], action: WriteAction): FlagTable {
  const table: Record<string, FlagSpec> = {};
  for (const set of sets) {
    for (const option of optionsFor(set.options, action)) {
      const flag = flagOf(option);
      const earlier = table[option.name];
      if (earlier && earlier.type !== flag.type) {
        table[option.name] = { type: 'string', description: earlier.description };
        delete table[`no-${option.name}`];
        continue;
      }
      if (earlier) {
        // Completion offers the values of every connector (`--role`: all their roles).
        if (Array.isArray(earlier.complete) && Array.isArray(flag.complete)) {
          const complete = [...new Set([...earlier.complete, ...flag.complete])];
          table[option.name] = { ...earlier, complete };
        }
        continue;
      }
      table[option.name] = flag;
      if (option.kind === 'boolean')
        table[`no-${option.name}`] = { type: 'boolean', description: `not --${option.name}` };
    }
  }
  return table;
}

/**
 * The connector options given as flags, as the instance's connector takes them. A flag of
 * another connector (or of another action) is a usage error naming what this one takes.
 */
export function optionsFromFlags(
  values: Readonly<Record<string, unknown>>,
  flagNames: readonly string[],
  own: readonly ConnectorOption[],
  command: string,
  where: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const flag of flagNames) {
    const value = values[flag];
    if (value === undefined) continue;
    const negated = flag.startsWith('no-') && !own.some((o) => o.name === flag);
    const name = negated ? flag.slice(3) : flag;
    const option = own.find((o) => o.name === name);
    if (!option || (negated && option.kind !== 'boolean')) {
      const takes = own.map((o) => `--${o.name}`).join(', ') || 'no options';
      throw new UsageError(`${command}: --${flag} is not an option of ${where}; it takes ${takes}`);
    }
    if (negated) out[name] = false;
    else if (option.kind === 'boolean' && typeof value === 'boolean') out[name] = value;
    else out[name] = optionValueOf(option, value);
  }
  return out;
}
