import type { AnyConnector } from '@orchester/core';
import type { InstanceConfig, OrchesterConfig } from '../config/load.js';

/** An instance for `memoryConfig`: a type name, or a type with its block, base URL and limits. */
export type MemoryInstance =
  | string
  | {
      type: string;
      block?: Record<string, unknown>;
      baseUrl?: string;
      limits?: InstanceConfig['limits'];
    };

import { ConnectorRegistry, type ConnectorRegistryOptions } from '../registry.js';

/** A config with one instance per entry, `{ name: type }`, and no file behind it. */
export function memoryConfig(instances: Record<string, MemoryInstance>): OrchesterConfig {
  return {
    file: undefined,
    dir: process.cwd(),
    searched: [],
    defaultConnector: undefined,
    plugins: [],
    actor: undefined,
    instances: new Map(
      Object.entries(instances).map(([name, v]) => {
        const entry: InstanceConfig =
          typeof v === 'string'
            ? { name, type: v, path: `connectors.${name}`, block: {} }
            : {
                name,
                type: v.type,
                path: `connectors.${name}`,
                block: v.block ?? {},
                ...(v.baseUrl ? { baseUrl: v.baseUrl } : {}),
                ...(v.limits ? { limits: v.limits } : {}),
              };
        return [name, entry];
      }),
    ),
    sections: {},
    warnings: [],
  };
}

/** A registry over connectors given directly, for tests. */
export function registryFor(
  connectors: readonly AnyConnector[],
  instances: Record<string, MemoryInstance>,
  options: Partial<ConnectorRegistryOptions> = {},
): ConnectorRegistry {
  return new ConnectorRegistry({
    packages: [],
    config: memoryConfig(instances),
    connectors,
    ...options,
  });
}
