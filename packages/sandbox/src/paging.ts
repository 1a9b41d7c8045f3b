import type { SandboxRequest } from './router.js';

function intParam(req: SandboxRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  if (raw === null) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : undefined;
}

export interface NumberedPageOptions {
  /** `per_page` by default. */
  readonly perPageParam?: string;
  /** `page` by default. */
  readonly pageParam?: string;
  readonly defaultPerPage: number;
  readonly maxPerPage: number;
}

/**
 * One numbered page of `items` (`?page=2&per_page=50`), with an RFC 8288 `Link` header of
 * absolute URLs on the emulator's origin that keep every other query parameter (`prev`,
 * `next`, `last`, `first`). No `Link` when one page holds everything.
 */
export function numberedPage<T>(
  req: SandboxRequest,
  items: readonly T[],
  options: NumberedPageOptions,
): { readonly items: T[]; readonly headers: Record<string, string> } {
  const pageParam = options.pageParam ?? 'page';
  const perPage = Math.min(
    options.maxPerPage,
    Math.max(1, intParam(req, options.perPageParam ?? 'per_page') ?? options.defaultPerPage),
  );
  const page = Math.max(1, intParam(req, pageParam) ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const urlOf = (n: number) => {
    const url = new URL(req.path, req.origin);
    for (const [k, v] of req.query) if (k !== pageParam) url.searchParams.append(k, v);
    url.searchParams.set(pageParam, String(n));
    return url.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${urlOf(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) links.push(`<${urlOf(page + 1)}>; rel="next"`, `<${urlOf(last)}>; rel="last"`);
  if (page > 1) links.push(`<${urlOf(1)}>; rel="first"`);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

export interface CursorPageOptions {
  /** `cursor` by default. */
  readonly cursorParam?: string;
  /** `limit` by default. */
  readonly limitParam?: string;
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

/**
 * One page of `items` behind an opaque cursor (`?cursor=...&limit=100`), as Slack and Drive
 * page: `next` is the cursor of the following page, empty on the last. A cursor the emulator
 * never issued is `invalid` (services answer it with their own error).
 */
export function cursorPage<T>(
  req: SandboxRequest,
  items: readonly T[],
  options: CursorPageOptions,
): { readonly items: T[]; readonly next: string } | { readonly invalid: true } {
  const limit = Math.min(
    options.maxLimit,
    Math.max(1, intParam(req, options.limitParam ?? 'limit') ?? options.defaultLimit),
  );
  const cursor = req.query.get(options.cursorParam ?? 'cursor') ?? '';
  let offset = 0;
  if (cursor !== '') {
    const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!match) return { invalid: true };
    offset = Number(match[1]);
  }
  const end = offset + limit;
  return {
    items: items.slice(offset, end),
    next: end < items.length ? Buffer.from(`offset:${end}`).toString('base64url') : '',
  };
}
