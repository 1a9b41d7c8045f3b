import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
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
      let scoped: string[] = [];
      try {
        scoped = readdirSync(join(nodeModules, entry));
      } catch {
        continue;
      }
      for (const name of scoped) {
        const matches =
          entry === '@orchester'
            ? name.startsWith(SCOPED_PREFIX)
            : name.startsWith(UNSCOPED_PREFIX);
        if (matches) out.push(join(nodeModules, entry, name));
      }
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
  for (const from of [configDir, ...searchFrom]) {
    try {
      const req = createRequire(join(from, 'noop.js'));
      return dirname(req.resolve(`${entry}/package.json`));
    } catch {
      // try the next place
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
