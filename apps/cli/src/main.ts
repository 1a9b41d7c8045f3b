// The CLI's composition root: the only file that builds config, registry and context.
import { readFileSync } from 'node:fs';
import { flagsOf, wordsOf } from './args.js';
import { CLI_DIR } from './cli-dir.js';
import type { CommandContext } from './command-context.js';
import type { CommandSpec } from './command-spec.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { configFlag, findCommand } from './find-command.js';
import { type CommandIo, processIo, warn } from './io.js';
import { paintFor } from './output/colour.js';
import { findSpec, subcommandOf } from './specs/index.js';
import { CONNECTOR_FLAG, GLOBAL_FLAGS } from './specs/shared-flags.js';

/** The flags that may stand before the command word. */
const BEFORE_COMMAND = { connector: CONNECTOR_FLAG, ...GLOBAL_FLAGS };

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export interface MainOptions {
  readonly io?: CommandIo;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
}

/** `-h` or `--help` anywhere before `--`. */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

/** Every flag a command or its subcommands take: enough to tell flag values from words. */
function allFlagsOf(spec: CommandSpec) {
  return Object.assign({}, flagsOf(spec), ...(spec.subcommands ?? []).map((s) => s.flags));
}

/**
 * The help of the command `words` name (the overview when none). Reads no config and touches no
 * service; only `add`, `rm` and `onboard` look at the installed connectors' option schemas.
 */
async function printHelp(
  io: CommandIo,
  env: NodeJS.ProcessEnv,
  words: readonly string[],
): Promise<number> {
  const [first, ...more] = words;
  if (first === undefined || first === 'help') {
    io.stdout.write((await import('./help/overview.js')).renderOverview());
    return EXIT.ok;
  }
  const spec = findSpec(first);
  if (!spec) {
    warn(io, `orchest: unknown command "${first}"; see "orchest --help"`);
    return EXIT.usage;
  }
  const target = subcommandOf(spec, more);
  const path = target === spec ? spec.name : `${spec.name} ${target.name}`;
  const sets =
    target.connectorOptions || target.listsRoles
      ? await (await import('./connector-options/option-sets.js')).installedOptionSets(CLI_DIR, env)
      : undefined;
  const { renderCommandHelp } = await import('./help/command-help.js');
  io.stdout.write(renderCommandHelp(target, path, sets));
  return EXIT.ok;
}

/** Runs `orchest` with `argv` (without node and script) and answers the exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIo;
  const env = options.env ?? process.env;
  const { command, rest } = findCommand(argv);
  // Help and version answer before anything heavy is imported, and before config is read.
  if (command === undefined) {
    if (argv.includes('-V') || argv.includes('--version')) {
      io.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    io.stdout.write((await import('./help/overview.js')).renderOverview());
    return asksForHelp(argv) || argv.length === 0 ? EXIT.ok : EXIT.usage;
  }
  if (command === 'help') return printHelp(io, env, wordsOf(rest, BEFORE_COMMAND));
  const spec = findSpec(command);
  if (!spec?.run) {
    warn(io, `orchest: unknown command "${command}"; see "orchest --help"`);
    return EXIT.usage;
  }
  if (asksForHelp(rest)) return printHelp(io, env, [command, ...wordsOf(rest, allFlagsOf(spec))]);

  // Loaded side by side: start-up time is most of a single command's time.
  const [run, runtime] = [spec.run(), await import('@orchester/runtime/inline')];
  const core = await import('@orchester/core');
  run.catch(() => {}); // awaited below, inside the error handling
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), {
    once: true,
  });
  const cwd = options.cwd ?? process.cwd();
  const explicitPath = configFlag(rest);
  const clock = core.systemClock;

  // Composition by hand, each part built once on first use. (The worker uses tsyringe; here a
  // container cost 50 ms of a 400 ms command, the difference between meeting the start-up
  // goal or not, and bought nothing two lazy values do not.)
  let config: ReturnType<typeof runtime.loadConfig> | undefined;
  const configOnce = () => {
    if (!config) {
      config = runtime.loadConfig({ explicitPath, cwd, env });
      for (const line of config.warnings) warn(io, `orchest: warning: ${line}`);
    }
    return config;
  };
  let registry: InstanceType<typeof runtime.ConnectorRegistry> | undefined;
  const registryOnce = () => {
    if (!registry) {
      const cfg = configOnce();
      registry = new runtime.ConnectorRegistry({
        packages: runtime.findConnectorPackages({
          from: CLI_DIR,
          plugins: cfg.plugins,
          configDir: cfg.dir,
          env,
        }),
        config: cfg,
        env,
        clock,
        signal: controller.signal,
        // Commands run here keep what they learn of who an e-mail is beside the audit file; the
        // worker keeps it in Redis.
        identities: new runtime.FileIdentityStore(
          runtime.identitiesPathOf(cfg, env.HOME || undefined),
        ),
      });
    }
    return registry;
  };

  const context: CommandContext = {
    argv: rest,
    io,
    env,
    cwd,
    clock,
    signal: controller.signal,
    paint: paintFor(io.stdout, env),
    config: configOnce,
    registry: registryOnce,
  };

  try {
    return await (await run)(context);
  } catch (error) {
    return reportFailure(io, error, rest.includes('--json'), core);
  } finally {
    await registry?.close();
  }
}

function reportFailure(
  io: CommandIo,
  error: unknown,
  json: boolean,
  core: typeof import('@orchester/core'),
): number {
  if (error instanceof Error && error.name === 'UsageError') {
    warn(io, `orchest: ${error.message}`);
    return EXIT.usage;
  }
  const e = core.toOrchesterError(error);
  if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: e.toJSON() })}\n`);
  warn(io, `orchest: ${e.code === 'ORCH_INTERNAL' ? 'internal error' : 'error'}: ${e.message}`);
  return exitCodeOf(e.category);
}
