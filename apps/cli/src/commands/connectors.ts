import { toOrchesterError } from '@orchester/core';
import type { ConnectorRegistry } from '@orchester/runtime';
import { findUnscannedConnectors, SCANNED_NAMES } from '@orchester/runtime/discovery';
import { expectPositionals, parseCommandArgs } from '../args.js';
import { CLI_DIR } from '../cli-dir.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { say, warn } from '../io.js';
import { CONNECTORS } from '../specs/connectors.js';

/** `orchest connectors`: installed connector types, configured instances, and whether each works. */
export async function runConnectors(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(CONNECTORS, context.argv);
  expectPositionals('connectors', positionals, []);
  const registry = context.registry();
  const config = registry.config;
  const installed = registry.packages().map((p) => ({
    type: p.type,
    package: p.packageName,
    version: p.version,
    contract: p.contract,
    source: p.source,
  }));
  // A package discovery will never find, though its author meant it as a connector.
  const unscanned = findUnscannedConnectors({
    from: CLI_DIR,
    env: context.env,
    skip: registry.packages().map((p) => p.dir),
  }).map((u) => ({ type: u.type, package: u.packageName, dir: u.dir }));
  for (const u of unscanned) {
    warn(
      context.io,
      `orchest: warning: ${u.package} (${u.dir}) carries the connector marker ("orchester": {"connector": "${u.type}"}) but is not found under that name: discovery scans only ${SCANNED_NAMES.join(', ')}. Rename the package, or list it in config "plugins": ["${u.package}"]`,
    );
  }
  const instances = [];
  for (const instance of config.instances.values()) {
    const verdict = await verdictOf(registry, instance.name, values.offline === true);
    instances.push({ name: instance.name, type: instance.type, ...verdict });
  }

  if (values.json) {
    say(
      context.io,
      JSON.stringify({ config: config.file ?? null, installed, unscanned, instances }),
    );
    return EXIT.ok;
  }
  say(
    context.io,
    installed.length > 0
      ? 'Installed connectors:'
      : 'No connectors installed. Install one, e.g.: npm i @orchester/connector-github',
  );
  const width = Math.max(4, ...installed.map((i) => i.type.length));
  for (const i of installed) {
    say(
      context.io,
      `  ${i.type.padEnd(width)}  ${i.package}@${i.version}  (contract ${i.contract}${i.source === 'installed' ? '' : `, ${i.source}`})`,
    );
  }
  say(context.io);
  if (!config.file) {
    say(context.io, `No config file (looked for ${config.searched.join(', ')}).`);
    return EXIT.ok;
  }
  say(
    context.io,
    instances.length > 0
      ? `Configured instances (${config.file}):`
      : `No instances configured in ${config.file}.`,
  );
  const nameWidth = Math.max(4, ...instances.map((i) => i.name.length));
  const typeWidth = Math.max(4, ...instances.map((i) => i.type.length));
  for (const i of instances) {
    say(
      context.io,
      `  ${i.name.padEnd(nameWidth)}  ${i.type.padEnd(typeWidth)}  ${i.usable ? 'usable' : i.status === 'ok' ? 'config valid' : `not usable: ${i.status}`}${i.note ? ` (${i.note})` : ''}`,
    );
  }
  return EXIT.ok;
}

interface Verdict {
  /** The config validates and, unless offline, the connector's verify() passed. */
  readonly usable: boolean;
  /** `ok`, or why not. */
  readonly status: string;
  /** What was not checked. */
  readonly note?: string;
}

/** Whether an instance is usable: its config validates and its credentials pass `verify()`. */
async function verdictOf(
  registry: ConnectorRegistry,
  name: string,
  offline: boolean,
): Promise<Verdict> {
  try {
    await registry.validatedConfig(name);
    if (offline) return { usable: true, status: 'ok', note: 'offline: credentials not checked' };
    const instance = await registry.instance(name);
    if (!instance.verify) {
      return {
        usable: false,
        status: 'ok',
        note: 'credentials not verified: the connector has no verify()',
      };
    }
    await instance.verify();
    return { usable: true, status: 'ok' };
  } catch (error) {
    return { usable: false, status: toOrchesterError(error).message };
  }
}
