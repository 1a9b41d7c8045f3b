#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startWorker } from './main.js';

const HELP = `orchester-worker — carries out queued membership jobs

Usage: orchester-worker [--config PATH]

Reads the same config as orchest (--config, $ORCHESTER_CONFIG_PATH, ./.orchester.json|yaml,
~/.orchester.json|yaml) and REDIS_URL (default redis://127.0.0.1:6379). Serves /healthz,
/readyz, /metrics and the dashboard at /admin/queues on worker.http.host:port
(127.0.0.1:9464 by default). SIGTERM/SIGINT drain jobs in flight, then exit 0.
`;

let values: { config?: string | undefined; help?: boolean | undefined };
try {
  values = parseArgs({
    options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }).values;
} catch (error) {
  process.stderr.write(`orchester-worker: ${(error as Error).message}; see --help\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

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
  const e = error as Error & { code?: string; exitCode?: number };
  process.stderr.write(`orchester-worker: error: ${e.message}\n`);
  process.exit(typeof e.exitCode === 'number' ? e.exitCode : 1);
}
