const FLAGS_WITH_VALUES = new Set(['-c', '--connector', '--config']);

/** Splits argv into the command word and the rest; global flags may stand before the command. */
export function findCommand(argv: readonly string[]): {
  command: string | undefined;
  rest: string[];
} {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (FLAGS_WITH_VALUES.has(arg)) {
      i += 1;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return { command: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { command: undefined, rest: [...argv] };
}

/** The value of `--config PATH` / `--config=PATH`, read before any command parses its flags. */
export function configFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}
