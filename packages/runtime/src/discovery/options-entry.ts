import { pathToFileURL } from 'node:url';
import type { ConnectorPackage } from './find-connectors.js';
import { readPackageJson, resolvePackageEntry } from './package-json.js';

/**
 * The options schema a connector package exports at `./options` (the same value as its
 * `optionsSchema`), or undefined when the package has no such entry. Imports neither the
 * connector nor its SDK, so a command's help can list options and stay fast.
 */
export async function importOptionsSchema(pkg: ConnectorPackage): Promise<unknown> {
  const manifest = readPackageJson(pkg.dir);
  const entry = manifest && resolvePackageEntry(pkg.dir, manifest, './options');
  if (!entry) return undefined;
  const mod = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  return mod.default;
}
