import type { CommandSpec } from '../command-spec.js';
import { COMMAND_SPECS } from '../specs/index.js';
import { CONNECTOR_FLAG, GLOBAL_FLAGS, JSON_FLAG } from '../specs/shared-flags.js';
import { columns, flagLabel, paragraph } from './layout.js';

function synopsis(spec: CommandSpec, prefix = ''): string {
  return [`${prefix}${spec.name}`, ...spec.arguments.map((a) => a.name)].join(' ');
}

const EXIT_CODES = `Exit codes:
  0  success (check: the person is a member; who: they have no access anywhere)
  1  check: the person is not a member (absent, invited or deactivated; printed which);
     who: the person has access somewhere
  2  usage, config or input error, or a roster safety limit; nothing was changed
  3  the service failed or refused, after retries; offboard: access remains somewhere,
     or a check could not be made; who: a check could not tell`;

/** `orchest --help`: every command in a line, the flags most take, colour and exit codes. */
export function renderOverview(): string {
  const rows: Array<[string, string]> = [];
  for (const spec of COMMAND_SPECS) {
    if (spec.subcommands) {
      for (const sub of spec.subcommands) rows.push([synopsis(sub, `${spec.name} `), sub.summary]);
    } else rows.push([synopsis(spec), spec.summary]);
  }
  rows.push(['help [COMMAND]', "a command's usage, flags and examples; so does COMMAND --help"]);
  const flags = { connector: CONNECTOR_FLAG, ...GLOBAL_FLAGS, json: JSON_FLAG };
  const flagRows: Array<[string, string]> = Object.entries(flags).map(([name, flag]) => [
    flagLabel(name, flag),
    flag.description,
  ]);
  flagRows.push(['-V, --version', "the CLI's version"]);
  return [
    'orchest — who has access to what',
    '',
    'Usage:',
    '  orchest [-c NAME] COMMAND [ARGUMENTS] [FLAGS]',
    '',
    'Commands:',
    ...columns(rows, 2, 24),
    '',
    "Flags (-c for check, add, rm, generate, members and roster export; --json for most commands; each command's help lists its own):",
    ...columns(flagRows),
    '',
    ...paragraph(
      'Outcomes and plan lines are coloured on a terminal; not when piped, nor when NO_COLOR is set (FORCE_COLOR=1 forces colour). Shell completion: orchest completion bash|zsh|fish.',
      0,
    ),
    '',
    EXIT_CODES,
    '',
  ].join('\n');
}
