import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.js';

describe('escapeHtml', () => {
  it('leaves no markup, attribute end or entity of its own in the text', () => {
    expect(escapeHtml(`<img src=x onerror="alert('a&b')">`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;a&amp;b&#39;)&quot;&gt;',
    );
  });

  it('writes numbers as they are and nothing for undefined', () => {
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(undefined)).toBe('');
  });
});
