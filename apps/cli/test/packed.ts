import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository's root. */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** Every package orchester publishes: each folder of packages/ and apps/ not marked private. */
export const PUBLISHED: readonly string[] = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(ROOT, group))
    .map((name) => `${group}/${name}`)
    .filter((dir) => {
      const file = join(ROOT, dir, 'package.json');
      return (
        existsSync(file) &&
        !(JSON.parse(readFileSync(file, 'utf8')) as { private?: boolean }).private
      );
    }),
);

export interface PackedPackage {
  /** The folder in the repository: `packages/core`. */
  readonly dir: string;
  readonly name: string;
  readonly tarball: string;
  /** The tarball unpacked: its files sit under `package/` as npm would install them. */
  readonly unpacked: string;
}

/** Packs every published package as `pnpm publish` would, and unpacks each next to its tarball. */
export async function packAll(): Promise<Map<string, PackedPackage>> {
  const out = mkdtempSync(join(tmpdir(), 'orch-pack-'));
  const packed = await Promise.all(
    PUBLISHED.map(async (dir) => {
      const { name, version } = JSON.parse(
        readFileSync(join(ROOT, dir, 'package.json'), 'utf8'),
      ) as { name: string; version: string };
      await run('pnpm', ['pack', '--pack-destination', out], { cwd: join(ROOT, dir) });
      const tarball = join(out, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
      const unpacked = join(out, `${name.replace(/^@/, '').replace('/', '-')}-unpacked`);
      mkdirSync(unpacked);
      await run('tar', ['-xzf', tarball, '-C', unpacked]);
      return { dir, name, tarball, unpacked: join(unpacked, 'package') };
    }),
  );
  return new Map(packed.map((p) => [p.name, p]));
}

/**
 * npm, with `@orchester/*` kept off the registry: only the packed tarballs may provide them. npm
 * still asks the registry about them first, so that address refuses at once and is not retried.
 */
export async function npm(
  cwd: string,
  [command = '', ...rest]: readonly string[],
): Promise<string> {
  // npm's own flags before the rest: `npm exec ... -- BIN ARGS` hands everything after `--` on.
  const flags = [
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--fetch-retries=0',
    '--loglevel=error',
  ];
  const { stdout } = await run('npm', [command, ...flags, ...rest], {
    cwd,
    env: {
      ...process.env,
      'npm_config_@orchester:registry': 'http://127.0.0.1:9/',
      // Plain text, for assertions on what the scripts print.
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}
