import { describe, expect, it } from 'vitest';
import { compileCacheDir } from './compile-cache.js';

describe('the compile cache folder', () => {
  it('is orchester/compile-cache under XDG_CACHE_HOME, else under ~/.cache', () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe(
      '/c/orchester/compile-cache',
    );
    expect(compileCacheDir({ HOME: '/h' })).toBe('/h/.cache/orchester/compile-cache');
  });

  it('ignores a relative XDG_CACHE_HOME, as the XDG spec says', () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/h' })).toBe(
      '/h/.cache/orchester/compile-cache',
    );
  });

  it("is none when Node's own NODE_DISABLE_COMPILE_CACHE or NODE_COMPILE_CACHE is set", () => {
    expect(compileCacheDir({ HOME: '/h', NODE_DISABLE_COMPILE_CACHE: '1' })).toBeUndefined();
    expect(compileCacheDir({ HOME: '/h', NODE_COMPILE_CACHE: '/elsewhere' })).toBeUndefined();
  });
});
