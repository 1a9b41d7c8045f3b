import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly main?: string;
  readonly exports?: unknown;
  readonly orchester?: { readonly connector?: unknown; readonly contract?: unknown };
}

export function readPackageJson(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

function pickTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (target && typeof target === 'object' && !Array.isArray(target)) {
    const t = target as Record<string, unknown>;
    for (const condition of ['node', 'import', 'default']) {
      const picked = pickTarget(t[condition]);
      if (picked) return picked;
    }
  }
  return undefined;
}

/** The file behind `subpath` ('.' or './sandbox') of a package, from its exports map or main. */
export function resolvePackageEntry(
  dir: string,
  pkg: PackageJson,
  subpath = '.',
): string | undefined {
  const exports = pkg.exports;
  if (exports !== undefined) {
    const isMap =
      typeof exports === 'object' &&
      exports !== null &&
      Object.keys(exports).some((k) => k.startsWith('.'));
    const target = isMap
      ? (exports as Record<string, unknown>)[subpath]
      : subpath === '.'
        ? exports
        : undefined;
    const file = pickTarget(target);
    return file ? join(dir, file) : undefined;
  }
  if (subpath !== '.') return undefined;
  return join(dir, pkg.main ?? 'index.js');
}
