// Deletes build outputs whose source is gone (a file moved or removed): `tsc -b` never does, and
// a stale file would be packed and published with maps pointing at sources that do not exist.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// `--root DIR` points it at another tree (its tests do).
const at = process.argv.indexOf('--root');
const root = at >= 0 ? process.argv[at + 1] : join(import.meta.dirname, '..');
const OUTPUT = /\.(d\.ts\.map|d\.ts|js\.map|js)$/;
const dryRun = process.argv.includes('--dry-run');

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

for (const group of ['packages', 'apps']) {
  if (!existsSync(join(root, group))) continue;
  for (const pkg of readdirSync(join(root, group))) {
    const dist = join(root, group, pkg, 'dist');
    const src = join(root, group, pkg, 'src');
    if (!existsSync(dist) || !existsSync(src)) continue;
    for (const file of files(dist)) {
      const base = relative(dist, file).replace(OUTPUT, '');
      if (base === relative(dist, file)) continue;
      if (['.ts', '.mts', '.tsx'].some((ext) => existsSync(join(src, base + ext)))) continue;
      console.log(`${dryRun ? 'would remove' : 'removing'} stale ${relative(root, file)}`);
      if (!dryRun) rmSync(file);
    }
  }
}
