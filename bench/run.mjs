// `pnpm bench`: every benchmark, each printing its figures beside a baseline measured in the same run.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = ['cli-startup.mjs'];
for (const group of ['worker', 'roster']) {
  const dir = join(here, group);
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort())
      if (f.endsWith('.mjs') && !f.startsWith('_')) files.push(`${group}/${f}`);
  }
}
for (const file of files) {
  if (only.length > 0 && !only.some((o) => file.includes(o))) continue;
  console.log(`\n== ${file}`);
  const mod = await import(pathToFileURL(join(here, file)).href);
  await mod.run();
}
