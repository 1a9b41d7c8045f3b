import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../html.js';

/** Answers the browser with a small page; nothing is cached and nothing else may run. */
export function answerPage(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'",
    connection: 'close',
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>orchester · ${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
  );
}

/**
 * For services that answer in the URL fragment (Trello's token), which never reaches a server:
 * the script reads the fragment and the query, drops them from the address bar and the
 * history, and posts them as JSON to the same path; the page shows the server's answer.
 */
const FRAGMENT_SCRIPT = `(async () => {
  const status = document.getElementById('status');
  const answer = Object.fromEntries([
    ...new URLSearchParams(location.search),
    ...new URLSearchParams(location.hash.slice(1)),
  ]);
  history.replaceState(null, '', location.pathname);
  const reply = await fetch(location.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(answer),
  });
  status.textContent = await reply.text();
})();`;

const SCRIPT_HASH = createHash('sha256').update(FRAGMENT_SCRIPT).digest('base64');

/** The page that hands a fragment answer to the callback server; only its own script may run. */
export function answerFragmentPage(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self'`,
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>orchester</title></head><body><p id="status">Handing the answer to orchester…</p><script>${FRAGMENT_SCRIPT}</script></body></html>`,
  );
}

/** A plain-text answer to the fragment page's post, shown on that page. */
export function answerText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(text);
}
