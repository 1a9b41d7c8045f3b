import { spawn } from 'node:child_process';

/** Opens a URL in the desktop's browser when there is one; answers whether it tried. */
export async function openUrl(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const hasDesktop =
    process.platform === 'darwin' ||
    process.platform === 'win32' ||
    Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  if (!hasDesktop || env.CI) return false;
  const command =
    process.platform === 'darwin'
      ? 'open'
      : process.platform === 'win32'
        ? 'explorer.exe'
        : 'xdg-open';
  return new Promise((resolve) => {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
