import module from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The folder for Node's module compile cache: `$XDG_CACHE_HOME/orchester/compile-cache`, or
 * `~/.cache/orchester/compile-cache`. Undefined when `NODE_DISABLE_COMPILE_CACHE` is set (Node's
 * own switch) or `NODE_COMPILE_CACHE` names another folder (Node then uses that one itself).
 */
export function compileCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE || env.NODE_COMPILE_CACHE) return undefined;
  // XDG: a relative XDG_CACHE_HOME is invalid and is to be ignored.
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : '';
  const base = xdg || join(env.HOME || homedir(), '.cache');
  return join(base, 'orchester', 'compile-cache');
}

/**
 * Keeps the compiled code of the modules a command loads, so the next command skips compiling
 * them (Node >= 22.1; nothing on older Nodes). A quiet optimisation: a folder that cannot be
 * written leaves the command as it was, without a word.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  const enable = (module as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  const dir = compileCacheDir(env);
  if (typeof enable !== 'function' || dir === undefined) return;
  try {
    enable(dir);
  } catch {
    // Documented not to throw; a start-up optimisation must never stop a command regardless.
  }
}
