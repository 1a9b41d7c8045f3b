import type { AnyConnector } from '@orchester/core';
import { type ConnectorRegistry, type InstanceConfig, optionsSchemaOf } from '@orchester/runtime';
import type { FlagTable } from '../command-spec.js';
import type { WriteAction } from './describe.js';
import { optionsOfConnector } from './of-connector.js';
import { optionFlagTable, optionsFor, optionsFromFlags } from './option-flags.js';
import { optionSetsOf } from './option-sets.js';

/**
 * The connector options of every installed connector as flags of `action`, so the command line
 * is parsed once, strictly, before the instance is known. A package without an `./options`
 * entry is described by its loaded connector. An option named like one of the command's own
 * flags (`reserved`) is not a flag: the command's flag keeps its meaning.
 */
export async function connectorFlags(
  registry: ConnectorRegistry,
  action: WriteAction,
  reserved: FlagTable,
): Promise<FlagTable> {
  const sets = await optionSetsOf(registry.packages(), async (pkg) =>
    optionsSchemaOf(await registry.loadType(pkg.type)),
  );
  const table = optionFlagTable(sets, action);
  return Object.fromEntries(Object.entries(table).filter(([name]) => !(name in reserved)));
}

/** The options a parsed `add`/`rm` line gives, as the instance's connector takes them. */
export function optionsOfCommandLine(
  values: Readonly<Record<string, unknown>>,
  flags: FlagTable,
  connector: AnyConnector,
  instance: InstanceConfig,
  action: WriteAction,
  command: string,
): Record<string, unknown> {
  const own = optionsFor(optionsOfConnector(connector), action);
  const where = `${instance.name} (${instance.type})`;
  return optionsFromFlags(values, Object.keys(flags), own, command, where);
}
