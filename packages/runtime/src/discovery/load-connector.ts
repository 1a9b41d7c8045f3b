import { pathToFileURL } from 'node:url';
import {
  type AnyConnector,
  CONTRACT_VERSION,
  ConnectorNotFoundError,
  ContractMismatchError,
  isConnector,
} from '@orchester/core';
import { contractCovers } from './contract-range.js';
import type { ConnectorPackage } from './find-connectors.js';
import { readPackageJson, resolvePackageEntry } from './package-json.js';

/** Throws a coded error when the package's declared contract range does not cover this core. */
export function assertContract(pkg: ConnectorPackage): void {
  if (!contractCovers(pkg.contract, CONTRACT_VERSION)) {
    throw new ContractMismatchError(
      `${pkg.packageName}@${pkg.version} was written for orchester contract ${pkg.contract}, but this @orchester/core offers contract ${CONTRACT_VERSION}; install a version of ${pkg.packageName} that supports contract ${CONTRACT_VERSION}, or a matching @orchester/core`,
      { details: { package: pkg.packageName, declared: pkg.contract, offered: CONTRACT_VERSION } },
    );
  }
}

/** Imports a connector package's module and checks that it is what its marker says. */
export async function importConnector(pkg: ConnectorPackage, subpath = '.'): Promise<unknown> {
  const manifest = readPackageJson(pkg.dir) ?? {};
  const entry = resolvePackageEntry(pkg.dir, manifest, subpath);
  if (!entry) {
    throw new ConnectorNotFoundError(`${pkg.packageName} has no "${subpath}" entry in its exports`);
  }
  return import(pathToFileURL(entry).href);
}

/** Imports and checks a connector: contract range, tagged default export, matching id. */
export async function loadConnector(pkg: ConnectorPackage): Promise<AnyConnector> {
  assertContract(pkg);
  const mod = (await importConnector(pkg)) as { default?: unknown };
  const connector = mod.default;
  if (!isConnector(connector)) {
    throw new ContractMismatchError(
      `${pkg.packageName}@${pkg.version} does not default-export a connector made by defineConnector()`,
    );
  }
  if (connector.id !== pkg.type) {
    throw new ContractMismatchError(
      `${pkg.packageName} says it is connector "${pkg.type}" in package.json but its module is "${connector.id}"`,
    );
  }
  if (!contractCovers(pkg.contract, connector.contract)) {
    throw new ContractMismatchError(
      `${pkg.packageName} was built with contract ${connector.contract}, outside its declared range ${pkg.contract}`,
    );
  }
  return connector;
}
