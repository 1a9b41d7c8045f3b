import { spawn } from 'node:child_process';

function timeOnce(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // Asynchronous on purpose: an emulator in this process must keep answering meanwhile.
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve(ms);
    });
  });
}

/** Median wall time of a command, in ms, over `runs` runs after `warmup` unmeasured ones. */
export async function medianMs(command, args, { runs = 15, warmup = 2, env = process.env } = {}) {
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ms = await timeOnce(command, args, env);
    if (i >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** One result line: the figure, its goal, and whether it was met. */
export function report(name, value, unit, goal, ok) {
  console.log(`${name}: ${value}${unit} (goal: ${goal}) ${ok ? 'ok' : 'MISSED'}`);
}
