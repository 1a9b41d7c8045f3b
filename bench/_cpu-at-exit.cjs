// Preloaded by measure.mjs's cpuMedians: prints the process's CPU time (user + system) as it exits.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  require('node:fs').writeSync(2, `\norchester-bench-cpu-ms ${(user + system) / 1000}\n`);
});
