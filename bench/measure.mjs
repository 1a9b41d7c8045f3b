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

/**
 * Median wall times of several commands, run in turns (A, B, C, A, B, C...) so that a machine
 * that speeds up or slows down during the run moves every figure alike.
 */
export async function interleavedMedians(commands, { runs = 21, warmup = 2 } = {}) {
  const times = commands.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    for (const [k, { command, args, env }] of commands.entries()) {
      const ms = await timeOnce(command, args, env ?? process.env);
      if (i >= warmup) times[k].push(ms);
    }
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return t[Math.floor(t.length / 2)];
  });
}

/** One result line: the figure, its goal, and whether it was met. */
export function report(name, value, unit, goal, ok) {
  console.log(`${name}: ${value}${unit} (goal: ${goal}) ${ok ? 'ok' : 'MISSED'}`);
}

const cpuPreload = new URL('./_cpu-at-exit.cjs', import.meta.url).pathname;

function cpuOnce(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ['--require', cpuPreload, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = /orchester-bench-cpu-ms ([\d.]+)/.exec(stderr)?.[1];
      if (code !== 0 || !ms)
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve(Number(ms));
    });
  });
}

/**
 * Median CPU time (user + system, as the process itself counts it) of Node commands, in turns:
 * unlike wall time, it hardly moves when other work shares the machine's cores.
 */
export async function interleavedCpuMedians(commands, { runs = 11, warmup = 2 } = {}) {
  const times = commands.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    for (const [k, { command, args, env }] of commands.entries()) {
      const ms = await cpuOnce(command, args, env ?? process.env);
      if (i >= warmup) times[k].push(ms);
    }
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return t[Math.floor(t.length / 2)];
  });
}
