import { type HeaderSource, headerOf } from './headers.js';

/**
 * The URL of the link with relation `rel` in an RFC 8288 `Link` header
 * (`<https://api.github.com/orgs/acme/members?page=2>; rel="next", <...>; rel="last"`).
 */
export function linkOf(headers: HeaderSource, rel = 'next'): string | undefined {
  const link = headerOf(headers, 'link');
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel="?([^";]+)"?/i.exec(match[2] ?? '')?.[1]?.split(/\s+/) ?? [];
    if (rels.includes(rel)) return match[1];
  }
  return undefined;
}

/** One page of a listing: its items, and what the next request needs (none: the last page). */
export interface Page<Item, Next> {
  readonly items: readonly Item[];
  readonly next: Next | undefined;
}

/**
 * Every item of a paged listing, fetching a page only when the one before is used up. `first`
 * is what the first request needs; each page says what the next needs: a `Link` URL
 * (`linkOf`), a page number, or a cursor. `maxPages` bounds a service that never stops.
 */
export async function* paginate<Item, Next>(
  first: Next,
  fetchPage: (next: Next) => Promise<Page<Item, Next>>,
  options: { readonly maxPages?: number } = {},
): AsyncGenerator<Item> {
  const maxPages = options.maxPages ?? 10_000;
  let next: Next | undefined = first;
  for (let page = 0; next !== undefined; page++) {
    if (page >= maxPages) throw new Error(`a listing went past ${maxPages} pages`);
    const answer: Page<Item, Next> = await fetchPage(next);
    yield* answer.items;
    next = answer.next;
  }
}

/**
 * Pages numbered 1, 2, 3... of `perPage` items: the listing ends at the first short page (so a
 * last page that is exactly full costs one empty request).
 */
export function paginateByNumber<Item>(
  fetchPage: (page: number) => Promise<readonly Item[]>,
  perPage: number,
  options: { readonly maxPages?: number } = {},
): AsyncGenerator<Item> {
  return paginate(
    1,
    async (page) => {
      const items = await fetchPage(page);
      return { items, next: items.length < perPage ? undefined : page + 1 };
    },
    options,
  );
}

/**
 * Pages chained by a cursor the service returns (Slack's `response_metadata.next_cursor`,
 * Drive's `nextPageToken`): the listing ends when the cursor is missing or empty.
 */
export function paginateByCursor<Item>(
  fetchPage: (
    cursor: string | undefined,
  ) => Promise<{ readonly items: readonly Item[]; readonly cursor?: string | undefined }>,
  options: { readonly maxPages?: number } = {},
): AsyncGenerator<Item> {
  return paginate<Item, { cursor: string | undefined }>(
    { cursor: undefined },
    async ({ cursor }) => {
      const page = await fetchPage(cursor);
      return { items: page.items, next: page.cursor ? { cursor: page.cursor } : undefined };
    },
    options,
  );
}

/**
 * Pages chained by RFC 8288 `Link` headers (GitHub, GitLab): `fetchPage(undefined)` asks for
 * the first page, then each `rel="next"` URL is asked for until a page names none.
 */
export function paginateByLink<Item>(
  fetchPage: (
    url: string | undefined,
  ) => Promise<{ readonly items: readonly Item[]; readonly headers: HeaderSource }>,
  options: { readonly maxPages?: number } = {},
): AsyncGenerator<Item> {
  return paginate<Item, { url: string | undefined }>(
    { url: undefined },
    async ({ url }) => {
      const page = await fetchPage(url);
      const next = linkOf(page.headers, 'next');
      return { items: page.items, next: next ? { url: next } : undefined };
    },
    options,
  );
}
