import { chmodSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '@orchester/core';
import { importConnector } from '@orchester/runtime';
import { parseFaultSpec, startSandbox } from '@orchester/sandbox';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { say, warn } from '../io.js';
import { SANDBOX } from '../specs/sandbox.js';

/**
 * `orchest sandbox`: starts the emulator of every installed connector on 127.0.0.1, prints (or
 * writes) a config pointing at them, and runs until SIGINT/SIGTERM.
 */
export async function runSandbox(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(SANDBOX, context.argv);
  expectPositionals('sandbox', positionals, []);
  let faults: ReturnType<typeof parseFaultSpec> | undefined;
  if (values.faults) {
    try {
      faults = parseFaultSpec(values.faults);
    } catch (error) {
      throw new InvalidInputError(`--faults: ${(error as Error).message}`);
    }
  }
  const registry = context.registry();
  const sandbox = await startSandbox({
    packages: registry.packages(),
    load: (pkg, entry) => importConnector(pkg, entry),
    ...(values.seed ? { seed: values.seed } : {}),
    ...(faults ? { faults } : {}),
  }).catch((error: unknown) => {
    throw new InvalidInputError(`sandbox: ${(error as Error).message}`);
  });
  try {
    for (const skipped of sandbox.skipped)
      warn(context.io, `orchest: ${skipped.packageName} has no emulator: ${skipped.reason}`);
    if (sandbox.emulators.length === 0) {
      warn(
        context.io,
        'orchest: no installed connector ships an emulator; install one, e.g. npm i @orchester/connector-github',
      );
      return EXIT.usage;
    }
    const text = `${JSON.stringify(sandbox.config, null, 2)}\n`;
    if (values['write-config']) {
      const path = resolve(context.cwd, values['write-config']);
      writeFileSync(path, text, { mode: 0o600 });
      chmodSync(path, 0o600);
      if (!values.json)
        say(
          context.io,
          `Wrote ${path}; use it with --config ${values['write-config']} or ORCHESTER_CONFIG_PATH.`,
        );
    } else if (!values.json) {
      say(context.io, text.trimEnd());
    }
    if (values.json)
      say(
        context.io,
        JSON.stringify({
          emulators: sandbox.emulators.map((e) => ({ name: e.name, url: e.url })),
          config: sandbox.config,
        }),
      );
    else
      for (const e of sandbox.emulators)
        say(context.io, `sandbox: ${e.name} emulator at ${e.url} (state: ${e.url}/_sandbox/state)`);
    if (!values.json) say(context.io, 'sandbox: running; press Ctrl-C to stop.');
    await new Promise<void>((done) => {
      if (context.signal.aborted) return done();
      context.signal.addEventListener('abort', () => done(), { once: true });
    });
    return EXIT.ok;
  } finally {
    await sandbox.close();
  }
}
