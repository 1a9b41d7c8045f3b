import { expectPositionals, parseCommandArgs } from '../args.js';
import { CLI_DIR } from '../cli-dir.js';
import type { CommandContext } from '../command-context.js';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { completionModel } from '../completion/model.js';
import { zshScript } from '../completion/zsh.js';
import { installedOptionSets } from '../connector-options/option-sets.js';
import { EXIT } from '../exit-codes.js';
import { say } from '../io.js';
import { COMPLETION } from '../specs/connectors.js';
import { UsageError } from '../usage-error.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

/**
 * `orchest completion bash|zsh|fish`: the script, with the flags of the installed connectors'
 * options. `orchest completion instances`: the configured instance names, which the scripts
 * ask for when completing `-c`, so a new instance completes without a new script.
 */
export async function runCompletion(context: CommandContext): Promise<number> {
  const { positionals } = parseCommandArgs(COMPLETION, context.argv);
  const [shell] = expectPositionals('completion', positionals, ['SHELL']);
  if (shell === 'instances') {
    for (const name of [...context.config().instances.keys()].sort()) say(context.io, name);
    return EXIT.ok;
  }
  if (!Object.hasOwn(SCRIPTS, shell!)) {
    throw new UsageError(
      `completion: "${shell}" is not bash, zsh or fish; usage: orchest completion bash|zsh|fish`,
    );
  }
  const script = SCRIPTS[shell as keyof typeof SCRIPTS];
  context.io.stdout.write(script(completionModel(await installedOptionSets(CLI_DIR, context.env))));
  return EXIT.ok;
}
