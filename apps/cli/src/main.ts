// The CLI's composition root: the only file that builds config, registry and context.
import { readFileSync } from 'node:fs';
import type { CommandContext } from './command-context.js';
import { EXIT } from './exit-codes.js';
import { configFlag, findCommand } from './find-command.js';
import { HELP } from './help.js';
import { type CommandIo, processIo, warn } from './io.js';

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

/** Runs `orchest` with `argv` (without node and script) and answers the exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIo;
  const { command, rest } = findCommand(argv);
  // Help and version answer before anything heavy is imported.
  if (command === undefined || command === 'help') {
    if (argv.includes('-V') || argv.includes('--version')) {
      io.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    io.stdout.write(HELP);
    return command === undefined &&
      !argv.includes('-h') &&
      !argv.includes('--help') &&
      argv.length > 0
      ? EXIT.usage
      : EXIT.ok;
  }

  // Loaded side by side: start-up time is most of a single command's time.
  const [{ COMMANDS }, core] = await Promise.all([
    import('./commands/index.js'),
    import('@orchester/core'),
  ]);
  const load = COMMANDS[command];
  if (!load) {
    warn(io, `orchest: unknown command "${command}"; see "orchest --help"`);
    return EXIT.usage;
  }
  const run = load();
  run.catch(() => {}); // awaited below, inside the error handling
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), {
    once: true,
  });
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicitPath = configFlag(rest);
  const clock = core.systemClock;

  // Composition by hand, each part built once on first use. (The worker uses tsyringe; here a
  // container cost 50 ms of a 400 ms command, the difference between meeting the start-up
  // goal or not, and bought nothing two lazy values do not.)
  let config: ReturnType<typeof core.loadConfig> | undefined;
  const configOnce = () => {
    if (!config) {
      config = core.loadConfig({ explicitPath, cwd, env });
      for (const line of config.warnings) warn(io, `orchest: warning: ${line}`);
    }
    return config;
  };
  let registry: InstanceType<typeof core.ConnectorRegistry> | undefined;
  const registryOnce = () => {
    if (!registry) {
      const cfg = configOnce();
      registry = new core.ConnectorRegistry({
        packages: core.findConnectorPackages({
          from: new URL('.', import.meta.url).pathname,
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
        identities: new core.FileIdentityStore(core.identitiesPathOf(cfg, env.HOME || undefined)),
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
  return e.exitCode;
}
