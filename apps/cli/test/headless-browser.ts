import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** The path of a Chromium on PATH (Debian's `chromium` package in CI), or undefined. */
export function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

// Headless, offline: no background fetches (updates, sync), a throw-away profile.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

async function chromium(binary: string, args: readonly string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'orch-chromium-'));
  const { stdout } = await run(binary, [...FLAGS, `--user-data-dir=${profile}`, ...args], {
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The page's DOM after Chromium loaded and laid it out. */
export function dumpDom(binary: string, file: string): Promise<string> {
  return chromium(binary, ['--dump-dom', `file://${file}`]);
}

/** A PNG screenshot of the page, `width`×`height`, written to `png`. */
export async function screenshot(
  binary: string,
  file: string,
  png: string,
  width = 1280,
  height = 2000,
): Promise<void> {
  await chromium(binary, [
    `--screenshot=${png}`,
    `--window-size=${width},${height}`,
    '--hide-scrollbars',
    `file://${file}`,
  ]);
}
