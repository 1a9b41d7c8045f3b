import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySpecOverlay, loadSpec, type SpecCorrection } from './spec-overlay.js';

const evidence = {
  url: 'https://developer.example.com/delete',
  quote: 'returns an empty body (204)',
};
const spec = {
  paths: { '/x/{id}': { delete: { responses: { '200': { description: 'ok' } } } } },
};

describe('applySpecOverlay', () => {
  it('applies add, replace and remove on a copy, leaving the published description as it was', () => {
    const corrections: SpecCorrection[] = [
      {
        op: 'add',
        path: '/paths/~1x~1{id}/delete/responses/204',
        value: { description: 'No content' },
        why: 'the service answers 204',
        evidence,
      },
      { op: 'remove', path: '/paths/~1x~1{id}/delete/responses/200', why: 'never 200', evidence },
    ];
    const corrected = applySpecOverlay(spec, corrections);
    expect(corrected).toEqual({
      paths: { '/x/{id}': { delete: { responses: { '204': { description: 'No content' } } } } },
    });
    expect(spec.paths['/x/{id}'].delete.responses).toHaveProperty('200');
  });

  it('refuses a correction without first-party evidence or a reason, or aimed at nothing', () => {
    const base = { op: 'remove', path: '/paths/~1x~1{id}/delete', why: 'gone' } as const;
    expect(() =>
      applySpecOverlay(spec, [{ ...base, evidence: { url: 'https://x.example', quote: '' } }]),
    ).toThrow(/needs evidence/);
    expect(() => applySpecOverlay(spec, [{ ...base, why: ' ', evidence }])).toThrow(/no "why"/);
    expect(() =>
      applySpecOverlay(spec, [{ ...base, path: '/paths/~1y/delete', evidence }]),
    ).toThrow(/does not exist/);
  });

  it('loadSpec reads x.overlay.json beside x.openapi.json when there is one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-'));
    const file = join(dir, 'svc.openapi.json');
    writeFileSync(file, JSON.stringify(spec));
    expect(loadSpec(file)).toEqual(spec);
    writeFileSync(
      join(dir, 'svc.overlay.json'),
      JSON.stringify([{ op: 'remove', path: '/paths/~1x~1{id}', why: 'gone', evidence }]),
    );
    expect(loadSpec(file)).toEqual({ paths: {} });
  });
});
