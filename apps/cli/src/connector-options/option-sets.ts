import type { ConnectorPackage } from '@orchester/runtime/discovery';
import { type ConnectorOption, describeOptions } from './describe.js';

/** The options one connector type takes; undefined when its package does not describe them. */
export interface OptionSet {
  readonly type: string;
  readonly options: readonly ConnectorOption[] | undefined;
}

/**
 * Each package's options, from its `./options` entry. `fallback` reads the schema another way
 * (the loaded connector) for a package without that entry; without it, such a package's options
 * stay undescribed. A package whose entry fails to load is undescribed too: help still works.
 */
export async function optionSetsOf(
  packages: readonly ConnectorPackage[],
  fallback?: (pkg: ConnectorPackage) => Promise<unknown>,
): Promise<OptionSet[]> {
  const { importOptionsSchema } = await import('@orchester/runtime/discovery');
  return Promise.all(
    packages.map(async (pkg) => {
      let schema: unknown;
      try {
        schema = await importOptionsSchema(pkg);
        if (schema === undefined && fallback) schema = await fallback(pkg);
      } catch {
        schema = undefined;
      }
      return {
        type: pkg.type,
        options: schema === undefined ? undefined : describeOptions(schema),
      };
    }),
  );
}

/**
 * The connectors installed beside the CLI (`from`) and globally, with their options: what help
 * and completion list. Reads no config, so connectors named only in config `plugins` are absent.
 */
export async function installedOptionSets(
  from: string,
  env: NodeJS.ProcessEnv,
): Promise<OptionSet[]> {
  const { findConnectorPackages } = await import('@orchester/runtime/discovery');
  return optionSetsOf(findConnectorPackages({ from, env }));
}
