import { spawnSync } from 'node:child_process';

/** Median wall time of a command, in ms, over `runs` runs after `warmup` unmeasured ones. */
export function medianMs(command, args, { runs = 15, warmup = 2, env = process.env } = {}) {
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) {
      throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    }
    if (i >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** One result line: the figure, its ratio to the baseline, the goal and whether it was met. */
export function report(name, value, unit, goal, ok) {
  console.log(`${name}: ${value}${unit} (goal: ${goal}) ${ok ? 'ok' : 'MISSED'}`);
}
