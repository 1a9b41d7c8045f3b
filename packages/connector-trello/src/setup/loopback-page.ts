import { createHash } from 'node:crypto';

/**
 * Runs in the browser on the loopback return address. Trello puts the token in the URL fragment,
 * which never reaches a server; this script reads it, drops it from the address bar and the
 * history, and posts it with the `state` from the query back to orchester's callback server.
 */
export const LOOPBACK_SCRIPT = `(async () => {
  const status = document.getElementById('status');
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const state = new URLSearchParams(location.search).get('state');
  history.replaceState(null, '', location.pathname);
  if (!token) {
    status.textContent = 'Trello sent no token (was access denied?). Run "orchest generate trello" again.';
    return;
  }
  const answer = await fetch('/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ state, token }),
  });
  status.textContent = answer.ok
    ? 'Done: orchester has the token. You can close this tab.'
    : 'orchester refused the token: ' + (await answer.text());
})();`;

const SCRIPT_HASH = createHash('sha256').update(LOOPBACK_SCRIPT).digest('base64');

/** The page and the headers that let only this script run and talk only to this server. */
export function loopbackPage(): { html: string; headers: Record<string, string> } {
  return {
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>orchester · Trello</title></head>
<body><p id="status">Handing the token to orchester…</p>
<script>${LOOPBACK_SCRIPT}</script></body></html>`,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy': `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self'`,
    },
  };
}
