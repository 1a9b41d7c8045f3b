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
    // What `npm pack` names the tarball: the scope's @ dropped, its / made a dash.
    const tarball = `${packageName.replace(/^@/, '').replace('/', '-')}-0.1.0.tgz`;
    process.stdout.write(
      [
        `Wrote ${packageName} in ${where}.`,
        '',
        'Next:',
        `  cd ${where}`,
        '  npm install',
        '  npm test          # the connector against its emulator',
        `  npm pack          # builds, and writes ${tarball}`,
        `  npm i -g ./${tarball}   # beside orchest`,
        '  orchest connectors',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldInputError)) throw error;
    process.stderr.write(`create-connector: ${error.message}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
