import { createRequire } from 'node:module';
import type satisfiesFn from 'semver/functions/satisfies.js';
import type validRangeFn from 'semver/ranges/valid.js';

const CARET = /^\^(\d+)\.(\d+)\.(\d+)$/;
const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

/**
 * Whether a connector's declared contract range covers `version`. Connectors declare `^x.y.z`
 * (x >= 1), checked here by hand; any other range goes to semver, loaded only then: building
 * semver's patterns costs a command's start-up 10-20 ms for a question this simple.
 */
export function contractCovers(range: string, version: string): boolean {
  const caret = CARET.exec(range);
  const offered = VERSION.exec(version);
  if (caret && offered && Number(caret[1]) >= 1) {
    const [major, minor, patch] = caret.slice(1).map(Number) as [number, number, number];
    const [x, y, z] = offered.slice(1).map(Number) as [number, number, number];
    return x === major && (y > minor || (y === minor && z >= patch));
  }
  const require = createRequire(import.meta.url);
  const validRange = require('semver/ranges/valid.js') as typeof validRangeFn;
  const satisfies = require('semver/functions/satisfies.js') as typeof satisfiesFn;
  const valid = validRange(range);
  return valid !== null && satisfies(version, valid);
}
