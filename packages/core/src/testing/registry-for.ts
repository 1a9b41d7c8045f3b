import type { OrchesterConfig } from '../config/load.js';
import type { AnyConnector } from '../contract.js';
import { ConnectorRegistry, type ConnectorRegistryOptions } from '../registry.js';

/** A config with one instance per entry, `{ name: type }`, and no file behind it. */
export function memoryConfig(
  instances: Record<string, string | { type: string; block?: Record<string, unknown> }>,
): OrchesterConfig {
  return {
    file: undefined,
    dir: process.cwd(),
    searched: [],
    defaultConnector: undefined,
    plugins: [],
    actor: undefined,
    instances: new Map(
      Object.entries(instances).map(([name, v]) => {
        const type = typeof v === 'string' ? v : v.type;
        const block = typeof v === 'string' ? {} : (v.block ?? {});
        return [name, { name, type, path: `connectors.${name}`, block }];
      }),
    ),
    sections: {},
    warnings: [],
  };
}

/** A registry over connectors given directly, for tests. */
export function registryFor(
  connectors: readonly AnyConnector[],
  instances: Record<string, string | { type: string; block?: Record<string, unknown> }>,
  options: Partial<ConnectorRegistryOptions> = {},
): ConnectorRegistry {
  return new ConnectorRegistry({
    packages: [],
    config: memoryConfig(instances),
    connectors,
    ...options,
  });
}
