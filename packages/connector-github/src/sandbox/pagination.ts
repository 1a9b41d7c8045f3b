import { numberedPage, type SandboxRequest, type SandboxResponse } from '@orchester/sandbox';

/**
 * One page of `items` as GitHub serves lists: `per_page` (default 30, at most 100) and `page`,
 * with a `Link` header on the emulator's own origin (the sandbox toolkit's numbered pages).
 */
export function paged(req: SandboxRequest, items: readonly unknown[]): SandboxResponse {
  const page = numberedPage(req, items, { defaultPerPage: 30, maxPerPage: 100 });
  return { status: 200, body: page.items, headers: page.headers };
}
