// The worker under measurement, alone in its process: the memory bench forks this, so the RSS it
// reads is the worker's (config, connectors, BullMQ, HTTP server), not the bench client's.
// Messages: {type: 'rss'} answers {rss} after a GC; {type: 'stop'} stops the worker and exits.
import { memoryConfig, orchesterWorker, quietLog, testing } from './_support.mjs';

const { connector, service } = testing.createMemoryConnector({ limits: { concurrency: 50 } });
const config = memoryConfig({ mem: 'memory' }, { worker: { http: { port: 0 } } });
const worker = await orchesterWorker.startWorker({
  config,
  env: { REDIS_URL: process.env.REDIS_URL },
  connectors: [connector],
  logDestination: quietLog,
});
process.on('message', async (message) => {
  if (message.type === 'rss') {
    // The memory connector's call log grows by design; it is the test double, not the worker.
    service.calls.splice(0);
    globalThis.gc?.();
    process.send({ rss: process.memoryUsage().rss });
  } else if (message.type === 'stop') {
    await worker.stop();
    process.exit(0);
  }
});
process.send({ ready: true });
