#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const HELP = `orchester-worker — carries out queued membership jobs

Usage: orchester-worker [--config PATH]

Reads the same config as orchest (--config, $ORCHESTER_CONFIG_PATH, ./.orchester.json|yaml,
~/.orchester.json|yaml) and REDIS_URL (default redis://127.0.0.1:6379). Serves /healthz,
/readyz, /metrics and the dashboard at /admin/queues on worker.http.host:port
(127.0.0.1:9464 by default). SIGTERM/SIGINT drain jobs in flight, then exit 0.

Flags:
      --config PATH  config file
  -h, --help         this help (reads no config, connects to nothing)
  -V, --version      the worker's version
`;

let values: {
  config?: string | undefined;
  help?: boolean | undefined;
  version?: boolean | undefined;
};
try {
  values = parseArgs({
    options: {
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
    strict: true,
  }).values;
} catch (error) {
  // A bad flag next to --help still gets the help, as it does from orchest.
  if (process.argv.slice(2).some((a) => a === '-h' || a === '--help')) values = { help: true };
  else {
    process.stderr.write(`orchester-worker: ${(error as Error).message}; see --help\n`);
    process.exit(2);
  }
}
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (values.version) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}

// Imported only now: help and version answer without loading BullMQ, Redis or the connectors.
const { startWorker } = await import('./main.js');

try {
  const worker = await startWorker(values.config ? { configPath: values.config } : {});
  const stop = (signal: string) => {
    worker.stop(`received ${signal}`).then(
      () => process.exit(0),
      (error: unknown) => {
        worker.logger.error({ error: (error as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  const e = error as Error & { code?: string; category?: string };
  process.stderr.write(`orchester-worker: error: ${e.message}\n`);
  // As the CLI: 2 for config and input, else 1 (the worker did not start).
  process.exit(e.category === 'input' ? 2 : 1);
}
