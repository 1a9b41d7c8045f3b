import { createServiceHttp, resolveSetupConfig, silentLogger } from '@orchester/core';
import type { InstanceConfig } from '@orchester/runtime';
import type { CommandContext } from '../command-context.js';
import { saveInstanceValues } from '../config-writer.js';
import { EXIT } from '../exit-codes.js';
import { say } from '../io.js';
import { openUrl } from '../open-url.js';
import { UsageError } from '../usage-error.js';

/** `orchest generate NAME [...]`: runs the connector's own credential flow for an instance. */
export async function runGenerate(context: CommandContext): Promise<number> {
  const args = [...context.argv];
  // Our own flags; everything else after NAME belongs to the connector's flow.
  const own = new Set(['--config', '-c', '--connector']);
  const rest: string[] = [];
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (own.has(arg)) {
      if (arg !== '--config') name ??= args[i + 1];
      i += 1;
      continue;
    }
    if (arg.startsWith('--config=')) continue;
    if (name === undefined && !arg.startsWith('-')) name = arg;
    else rest.push(arg);
  }
  if (!name)
    throw new UsageError(
      'generate: missing NAME (an instance or connector type); usage: orchest generate NAME',
    );

  const registry = context.registry();
  const config = registry.config;
  let instance: InstanceConfig;
  const configured =
    config.instances.get(name) ?? [...config.instances.values()].filter((i) => i.type === name);
  if (!Array.isArray(configured)) instance = configured;
  else if (configured.length === 1) instance = configured[0]!;
  else if (configured.length > 1) instance = registry.selectInstance(name);
  // Not configured yet: setting it up is what generate is for.
  else instance = { name, type: name, path: `connectors.${name}`, block: {} };

  const connector = await registry.loadType(instance.type, instance.name);
  if (!connector.setup) {
    throw new UsageError(
      `generate: the ${connector.displayName} connector has no set-up flow; write its settings into the config by hand`,
    );
  }
  let configPath = config.file;
  await connector.setup.run({
    instance: instance.name,
    rawConfig: instance.block,
    config: resolveSetupConfig(instance.block, context.env),
    env: context.env,
    // Set-up calls are not service calls of a running instance: nothing records them.
    http: createServiceHttp({ signal: context.signal, clock: context.clock, recordCall() {} }),
    argv: rest,
    ...(instance.baseUrl ? { baseUrl: instance.baseUrl } : {}),
    configPath,
    configDir: config.dir,
    signal: context.signal,
    clock: context.clock,
    logger: silentLogger,
    stdin: context.io.stdin,
    print: (line) => say(context.io, line),
    saveConfig: async (values) => {
      configPath = saveInstanceValues(
        {
          file: configPath,
          cwd: context.cwd,
          env: context.env,
          path: instance.path,
          type: instance.type,
        },
        values,
      );
      return configPath;
    },
    openUrl: (url) => openUrl(url, context.env),
  });
  return EXIT.ok;
}
