import type { SandboxRequest, SandboxResponse } from '@orchester/sandbox';

function intParam(req: SandboxRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  if (raw === null) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * One page of `items` as GitHub serves lists: `per_page` (default 30, at most 100) and `page`,
 * with a `Link` header of absolute URLs on the emulator's own origin that keep every query
 * parameter. No `Link` when one page holds everything.
 */
export function paged(req: SandboxRequest, items: readonly unknown[]): SandboxResponse {
  const perPage = Math.min(100, Math.max(1, intParam(req, 'per_page') ?? 30));
  const page = Math.max(1, intParam(req, 'page') ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const urlOf = (n: number) => {
    const url = new URL(req.path, req.origin);
    for (const [k, v] of req.query) if (k !== 'page') url.searchParams.append(k, v);
    url.searchParams.set('page', String(n));
    return url.href;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${urlOf(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) links.push(`<${urlOf(page + 1)}>; rel="next"`, `<${urlOf(last)}>; rel="last"`);
  if (page > 1) links.push(`<${urlOf(1)}>; rel="first"`);
  return {
    status: 200,
    body,
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}
