/** The pages the callback server shows the browser. They never hold a token. */
export function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
}
