// `@orchester/runtime/discovery`: finding connector packages and their `./options` entry, without
// loading the rest of the runtime (config, registry, runners). `orchest COMMAND --help` uses it.
export {
  type ConnectorPackage,
  type FindConnectorsOptions,
  findConnectorPackages,
  findUnscannedConnectors,
  isScannedName,
  SCANNED_NAMES,
  type UnscannedConnector,
} from './find-connectors.js';
export { importOptionsSchema } from './options-entry.js';
