import { execFile, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The CLI as people run it: its binary and a config file.
export const CLI = resolve(fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url)));
const run = promisify(execFile);

/** The environment without REDIS_URL: the config file says where Redis is. */
function envFor(config: string, env: Record<string, string>): NodeJS.ProcessEnv {
  const { REDIS_URL: _ignored, ...rest } = process.env;
  // HOME beside the config: the default audit file must not land in the real home folder.
  return { ...rest, HOME: dirname(config), ...env };
}

/** Runs `orchest ARGS --config CONFIG` to its end (in `cwd` when given, for relative paths). */
export async function orchest(
  args: string[],
  config: string,
  env: Record<string, string> = {},
  options: { cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--config', config], {
      env: envFor(config, env),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Starts `orchest ARGS --config CONFIG` and answers its end, with what it printed. */
export function spawnOrchest(args: string[], config: string) {
  const child = spawn(process.execPath, [CLI, ...args, '--config', config], {
    env: envFor(config, {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const ended = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, ended, output: () => ({ stdout, stderr }) };
}
