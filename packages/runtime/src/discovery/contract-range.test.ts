import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';
import { describe, expect, it } from 'vitest';
import { contractCovers } from './contract-range.js';

const bySemver = (range: string, version: string) => {
  const valid = validRange(range);
  return valid !== null && satisfies(version, valid);
};

describe('contractCovers', () => {
  const ranges = [
    '^1.2.0',
    '^1.0.0',
    '^1.2.3',
    '^2.0.0',
    '^0.3.0',
    '^0.0.4',
    '~1.2.0',
    '>=1.1.0 <3',
    '1.2.0',
    '1.x',
    '*',
    '^1.2',
    ' ^1.2.0 ',
    'not a range',
    '',
  ];
  const versions = [
    '1.2.0',
    '1.2.5',
    '1.3.0',
    '1.1.9',
    '2.0.0',
    '0.3.1',
    '0.4.0',
    '0.0.4',
    '10.0.0',
  ];

  it('answers as semver does for every range a connector might declare', () => {
    for (const range of ranges)
      for (const version of versions)
        expect([range, version, contractCovers(range, version)]).toEqual([
          range,
          version,
          bySemver(range, version),
        ]);
  });
});
