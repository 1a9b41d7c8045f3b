#!/usr/bin/env node
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { releasedRanges } from './ranges.js';
import { ScaffoldInputError, scaffold } from './scaffold.js';

const USAGE = `Usage: create-connector NAME [--display-name NAME] [--scope @SCOPE] [--dir PATH]
       npm init @orchester/connector NAME

Writes an orchester connector package for the service NAME (lower-case letters, digits and
dashes): the connector, an emulator of the service, a conformance test, package.json and README.

  --display-name NAME  the service's name in messages (default: NAME capitalized)
  --scope @SCOPE       publish as @SCOPE/orchester-connector-NAME (default: orchester-connector-NAME)
  --dir PATH           where to write (default: ./orchester-connector-NAME); must be empty or absent
`;

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: {
      'display-name': { type: 'string' },
      scope: { type: 'string' },
      dir: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

function main(argv: string[]): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`create-connector: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(
      `create-connector: ${positionals.length === 0 ? 'NAME is missing' : `one NAME only, got ${positionals.join(' ')}`}\n\n${USAGE}`,
    );
    return 2;
  }
  try {
    const { dir, packageName } = scaffold({
      id: positionals[0] ?? '',
      ...(values['display-name'] === undefined ? {} : { displayName: values['display-name'] }),
      ...(values.scope === undefined ? {} : { scope: values.scope }),
      ...(values.dir === undefined ? {} : { dir: values.dir }),
      cwd: process.cwd(),
      ranges: releasedRanges(),
    });
    const where = relative(process.cwd(), dir) || '.';
    process.stdout.write(
      `Wrote ${packageName} in ${where}.\n\nNext:\n  cd ${where}\n  npm install\n  npm test          # the connector against its emulator\n  npm run build\n\nThen install it beside orchest (npm i -g ./${where}) and run: orchest connectors\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldInputError)) throw error;
    process.stderr.write(`create-connector: ${error.message}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
