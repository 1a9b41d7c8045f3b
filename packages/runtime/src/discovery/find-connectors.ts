import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, parse, resolve } from 'node:path';
import { ConfigError } from '@orchester/core';
import { type PackageJson, readPackageJson } from './package-json.js';

/** A connector package found on disk; its module is not imported yet. */
export interface ConnectorPackage {
  /** The connector type its marker declares (`github`). */
  readonly type: string;
  readonly packageName: string;
  readonly version: string;
  readonly dir: string;
  /** The semver range of the core contract it was written against. */
  readonly contract: string;
  readonly source: 'installed' | 'global' | 'plugins';
}

// Naming conventions scanned in node_modules; anything else is listed in config `plugins`.
const SCOPED_PREFIX = 'connector-';
const UNSCOPED_PREFIX = 'orchester-connector-';

/** The package names discovery scans in node_modules, as people read them. */
export const SCANNED_NAMES: readonly string[] = [
  '@orchester/connector-*',
  'orchester-connector-*',
  '@SCOPE/orchester-connector-*',
];

/** Whether discovery scans a package of this name in node_modules. */
export function isScannedName(name: string): boolean {
  if (!name.startsWith('@')) return name.startsWith(UNSCOPED_PREFIX);
  const [scope, rest = ''] = name.split('/');
  return scope === '@orchester' ? rest.startsWith(SCOPED_PREFIX) : rest.startsWith(UNSCOPED_PREFIX);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every node_modules folder from `start` up to the root, as Node's resolution walks them. */
export function nodeModulesAbove(start: string): string[] {
  const out: string[] = [];
  let dir = resolve(start);
  const root = parse(dir).root;
  for (;;) {
    if (!dir.endsWith(`${'/'}node_modules`)) {
      const candidate = join(dir, 'node_modules');
      if (isDir(candidate)) out.push(candidate);
    }
    if (dir === root) break;
    dir = dirname(dir);
  }
  return out;
}

/** The global install folder of the running node (`<prefix>/lib/node_modules`). */
export function globalNodeModules(env: NodeJS.ProcessEnv = process.env): string[] {
  const prefixes = [env.npm_config_prefix, env.PREFIX, resolve(dirname(process.execPath), '..')];
  const out = new Set<string>();
  for (const prefix of prefixes) {
    if (!prefix) continue;
    for (const candidate of [join(prefix, 'lib', 'node_modules'), join(prefix, 'node_modules')]) {
      if (isDir(candidate)) out.add(candidate);
    }
  }
  return [...out];
}

function candidateDirs(nodeModules: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(nodeModules);
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry.startsWith(UNSCOPED_PREFIX)) out.push(join(nodeModules, entry));
    else if (entry.startsWith('@')) {
      for (const name of scopedEntries(nodeModules, entry)) {
        if (isScannedName(`${entry}/${name}`)) out.push(join(nodeModules, entry, name));
      }
    }
  }
  return out;
}

function scopedEntries(nodeModules: string, scope: string): string[] {
  try {
    return readdirSync(join(nodeModules, scope));
  } catch {
    return [];
  }
}

/** A package that carries the connector marker under a name discovery does not scan. */
export interface UnscannedConnector {
  readonly packageName: string;
  readonly type: string;
  readonly dir: string;
}

/**
 * Packages in the folders discovery scans whose package.json carries the `orchester` connector
 * marker under a name it does not scan, so they are never found; `skip` lists folders already
 * found another way (config `plugins`). It reads every package.json there: for `orchest
 * connectors`, never on a command's path.
 */
export function findUnscannedConnectors(
  options: Omit<FindConnectorsOptions, 'plugins' | 'configDir'> & { skip?: readonly string[] },
): UnscannedConnector[] {
  const realOf = (dir: string) => {
    try {
      return realpathSync(dir);
    } catch {
      return dir;
    }
  };
  const skip = new Set((options.skip ?? []).map(realOf));
  const folders = [
    ...nodeModulesAbove(options.from),
    ...((options.includeGlobal ?? true) ? globalNodeModules(options.env) : []),
  ];
  const out: UnscannedConnector[] = [];
  for (const nm of folders) {
    let entries: string[];
    try {
      entries = readdirSync(nm);
    } catch {
      continue;
    }
    // Folder names, not package.json names: the folder is what discovery matches.
    const names = entries.flatMap((entry) =>
      entry.startsWith('@')
        ? scopedEntries(nm, entry).map((name) => `${entry}/${name}`)
        : entry.startsWith('.')
          ? []
          : [entry],
    );
    for (const name of names) {
      if (isScannedName(name)) continue;
      const dir = join(nm, name);
      const found = asConnectorPackage(dir, readPackageJson(dir), 'installed');
      if (!found || skip.has(realOf(dir))) continue;
      out.push({ packageName: found.packageName, type: found.type, dir });
    }
  }
  return out;
}

function asConnectorPackage(
  dir: string,
  pkg: PackageJson | undefined,
  source: ConnectorPackage['source'],
): ConnectorPackage | undefined {
  const marker = pkg?.orchester;
  if (
    !pkg ||
    !marker ||
    typeof marker.connector !== 'string' ||
    typeof marker.contract !== 'string'
  )
    return undefined;
  return {
    type: marker.connector,
    packageName: pkg.name ?? dir,
    version: pkg.version ?? '0.0.0',
    dir,
    contract: marker.contract,
    source,
  };
}

/** Resolves a `plugins` entry: a file path (relative to the config file) or a package name. */
function pluginDir(entry: string, configDir: string, searchFrom: readonly string[]): string {
  const looksLikePath = entry.startsWith('.') || isAbsolute(entry) || entry.startsWith('~');
  if (looksLikePath) {
    const path = resolve(configDir, entry.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
    if (!existsSync(path)) {
      throw new ConfigError(
        `plugins: "${entry}" does not exist (resolved to ${path}); fix the path or remove the entry`,
      );
    }
    const dir = isDir(path) ? path : dirname(path);
    let current = dir;
    // A file inside a package: climb to the folder that holds its package.json.
    while (!existsSync(join(current, 'package.json')) && dirname(current) !== current)
      current = dirname(current);
    return existsSync(join(current, 'package.json')) ? current : dir;
  }
  // Looked up folder by folder as Node would, not with require.resolve: a package whose exports
  // map does not export ./package.json must still be found.
  for (const from of [configDir, ...searchFrom]) {
    for (const nm of nodeModulesAbove(from)) {
      if (existsSync(join(nm, entry, 'package.json'))) return join(nm, entry);
    }
  }
  throw new ConfigError(
    `plugins: package "${entry}" is not installed; run "npm i ${entry}" or remove it from plugins`,
  );
}

export interface FindConnectorsOptions {
  /** The running app's folder: its node_modules and those above it are searched. */
  readonly from: string;
  readonly plugins?: readonly string[];
  readonly configDir?: string;
  readonly includeGlobal?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** Finds connector packages: installed beside the app, in the global prefix, and from config `plugins`. */
export function findConnectorPackages(options: FindConnectorsOptions): ConnectorPackage[] {
  const found = new Map<string, ConnectorPackage>();
  const seenDirs = new Set<string>();
  const add = (pkg: ConnectorPackage | undefined) => {
    if (!pkg) return;
    let real = pkg.dir;
    try {
      real = realpathSync(pkg.dir);
    } catch {
      // keep the path as found
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    // The first found wins, as Node's resolution would pick the nearest copy.
    if (!found.has(pkg.type)) found.set(pkg.type, pkg);
  };
  for (const entry of options.plugins ?? []) {
    const dir = pluginDir(entry, options.configDir ?? process.cwd(), [options.from]);
    const pkg = asConnectorPackage(dir, readPackageJson(dir), 'plugins');
    if (!pkg) {
      throw new ConfigError(
        `plugins: "${entry}" is not an orchester connector (its package.json has no "orchester": {"connector": ..., "contract": ...})`,
      );
    }
    add(pkg);
  }
  for (const nm of nodeModulesAbove(options.from)) {
    for (const dir of candidateDirs(nm))
      add(asConnectorPackage(dir, readPackageJson(dir), 'installed'));
  }
  if (options.includeGlobal ?? true) {
    for (const nm of globalNodeModules(options.env)) {
      for (const dir of candidateDirs(nm))
        add(asConnectorPackage(dir, readPackageJson(dir), 'global'));
    }
  }
  // Plain code-unit order: connector types are lower-case letters, digits and dashes, and the
  // first localeCompare of a process costs a command ~8 ms of start-up (ICU's collator).
  return [...found.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}
