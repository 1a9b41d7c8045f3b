import { reviewAccess } from '@orchester/runtime';
import { describe, expect, it } from 'vitest';
import { reviewHtml } from './review-html.js';

describe('the review page', () => {
  it('escapes every name the services or the roster give it, so a name cannot add markup', () => {
    const hostile = '<img src=x onerror="alert(1)">';
    const review = reviewAccess({
      version: 1,
      takenAt: '2026-11-30T00:00:00.000Z',
      roster: 'team.yaml',
      instances: [
        {
          instance: 'gh',
          type: 'github',
          listed: true,
          entries: [
            {
              instance: 'gh',
              type: 'github',
              identifier: `"><script>x</script>`,
              state: 'member',
              role: 'admin',
              person: { name: hostile, email: 'a@example.com' },
            },
          ],
        },
      ],
    });
    const html = reviewHtml(review, ['admin']);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
  });
});
