import { describe, expect, it } from 'vitest';
import {
  linkOf,
  paginate,
  paginateByCursor,
  paginateByLink,
  paginateByNumber,
} from './pagination.js';

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('linkOf', () => {
  const link =
    '<https://api.example.com/x?page=2>; rel="next", <https://api.example.com/x?page=5>; rel="last"';

  it('finds the next and last links of an RFC 8288 Link header', () => {
    expect(linkOf(new Headers({ link }))).toBe('https://api.example.com/x?page=2');
    expect(linkOf({ link }, 'last')).toBe('https://api.example.com/x?page=5');
  });

  it('answers undefined on the last page', () => {
    expect(linkOf({ link: '<https://api.example.com/x?page=1>; rel="first"' })).toBeUndefined();
    expect(linkOf({})).toBeUndefined();
  });
});

describe('paginate', () => {
  it('follows pages until one says there is no next', async () => {
    const pages: Record<string, { items: number[]; next?: string }> = {
      a: { items: [1, 2], next: 'b' },
      b: { items: [3], next: 'c' },
      c: { items: [] },
    };
    const asked: string[] = [];
    const items = await all(
      paginate('a', async (key: string) => {
        asked.push(key);
        const page = pages[key]!;
        return { items: page.items, next: page.next };
      }),
    );
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual(['a', 'b', 'c']);
  });

  it('stops a listing that never ends', async () => {
    await expect(
      all(paginate(1, async (n) => ({ items: [n], next: n + 1 }), { maxPages: 3 })),
    ).rejects.toThrow('a listing went past 3 pages');
  });

  it('numbers pages and stops at the first short one', async () => {
    const data = [1, 2, 3, 4, 5];
    const asked: number[] = [];
    const items = await all(
      paginateByNumber(async (page) => {
        asked.push(page);
        return data.slice((page - 1) * 2, page * 2);
      }, 2),
    );
    expect(items).toEqual(data);
    expect(asked).toEqual([1, 2, 3]);
  });

  it('chains cursors until the service returns an empty one', async () => {
    const asked: Array<string | undefined> = [];
    const items = await all(
      paginateByCursor(async (cursor) => {
        asked.push(cursor);
        return cursor === undefined
          ? { items: ['a'], cursor: 'next1' }
          : { items: ['b'], cursor: '' };
      }),
    );
    expect(items).toEqual(['a', 'b']);
    expect(asked).toEqual([undefined, 'next1']);
  });

  it('follows rel="next" links from the first page to one that names none', async () => {
    const asked: Array<string | undefined> = [];
    const items = await all(
      paginateByLink(async (url) => {
        asked.push(url);
        return url === undefined
          ? { items: [1], headers: { link: '<https://x/p?page=2>; rel="next"' } }
          : { items: [2], headers: new Headers({ link: '<https://x/p?page=1>; rel="first"' }) };
      }),
    );
    expect(items).toEqual([1, 2]);
    expect(asked).toEqual([undefined, 'https://x/p?page=2']);
  });
});
