import type { CommandSpec } from '../command-spec.js';
import type { WriteAction } from '../connector-options/describe.js';
import { optionsFor, valueNameOf } from '../connector-options/option-flags.js';
import type { OptionSet } from '../connector-options/option-sets.js';
import { GLOBAL_FLAGS } from '../specs/shared-flags.js';
import { columns, flagLabel, flagText, paragraph } from './layout.js';

/** "add (or invite) a person" as a sentence. */
function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The options of each installed connector that `action` takes, one block per connector type. */
export function connectorOptionsSection(sets: readonly OptionSet[], action: WriteAction): string[] {
  const lines = ['', "Connector options (which apply depends on the instance's connector):"];
  if (sets.length === 0) {
    lines.push('  (no connector is installed; e.g. npm i @orchester/connector-github)');
    return lines;
  }
  const rows: Array<[string, string]> = [];
  for (const set of sets) {
    if (set.options === undefined) {
      rows.push([set.type, '(not described: the package has no ./options entry; see its README)']);
      continue;
    }
    const options = optionsFor(set.options, action);
    if (options.length === 0) rows.push([set.type, '(none)']);
    options.forEach((option, i) => {
      const value = valueNameOf(option);
      const flag =
        option.kind === 'boolean' ? `--[no-]${option.name}` : `--${option.name} ${value}`;
      rows.push([
        `${i === 0 ? set.type.padEnd(8) : ' '.repeat(8)} ${flag}`,
        option.description ?? '',
      ]);
    });
  }
  lines.push(...columns(rows, 2, 44));
  lines.push(
    ...paragraph(
      'List options take a,b (or the flag repeated), in batch files too. Connectors named only in config "plugins" are not listed here.',
    ),
  );
  return lines;
}

/** The roles of each installed connector (its `role` option), for `onboard --role`. */
export function rolesSection(sets: readonly OptionSet[]): string[] {
  const rows: Array<[string, string]> = sets.map((set) => {
    if (set.options === undefined) return [set.type, '(not described; see its README)'];
    const role = set.options.find((o) => o.name === 'role');
    return [set.type, role?.choices?.join(', ') ?? '(no roles)'];
  });
  return [
    '',
    'Roles by connector (--role):',
    ...(rows.length > 0 ? columns(rows) : ['  (no connector is installed)']),
  ];
}

/**
 * A command's help: usage, arguments, flags, connector options (for `add`/`rm`), notes and
 * examples. `path` names it as typed (`batch apply`).
 */
export function renderCommandHelp(
  spec: CommandSpec,
  path: string,
  optionSets?: readonly OptionSet[],
): string {
  if (spec.subcommands) {
    const parts = [`orchest ${path}: ${spec.summary}`];
    for (const sub of spec.subcommands) {
      parts.push(
        '',
        `── ${path} ${sub.name} ──`,
        renderCommandHelp(sub, `${path} ${sub.name}`).trimEnd(),
      );
    }
    return `${parts.join('\n')}\n`;
  }
  const lines = [
    'Usage:',
    ...spec.usage.map((u) => `  orchest ${u}`),
    '',
    ...paragraph(sentence(spec.summary), 0),
  ];
  if (spec.arguments.length > 0) {
    lines.push('', 'Arguments:', ...columns(spec.arguments.map((a) => [a.name, a.description])));
  }
  const flags = { ...spec.flags, ...GLOBAL_FLAGS };
  lines.push(
    '',
    'Flags:',
    ...columns(
      Object.entries(flags).map(([name, flag]) => [flagLabel(name, flag), flagText(flag)]),
    ),
  );
  if (spec.connectorOptions && optionSets)
    lines.push(...connectorOptionsSection(optionSets, spec.connectorOptions));
  if (spec.listsRoles && optionSets) lines.push(...rolesSection(optionSets));
  for (const note of spec.notes ?? []) lines.push('', ...paragraph(note, 0));
  if (spec.examples.length > 0) {
    lines.push('', spec.examples.length === 1 ? 'Example:' : 'Examples:');
    lines.push(...spec.examples.map((e) => `  ${e}`));
  }
  return `${lines.join('\n')}\n`;
}
