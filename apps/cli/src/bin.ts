#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.js';

// Before anything else loads, so every module after this one comes from the cache.
enableCompileCache();
const { main } = await import('./main.js');

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => controller.abort(new Error(`received ${signal}`)));
}
process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
// The work is done (files are written synchronously), but an idle keep-alive connection to a
// service would hold the process open a while longer: leave once the output is flushed.
await Promise.all(
  [process.stdout, process.stderr].map(
    (stream) => new Promise<void>((resolve) => stream.write('', () => resolve())),
  ),
);
process.exit();
