// README's supported Node versions, every package's `engines`, and the Node CI tests with agree.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { releasedRanges } from '../packages/create-connector/src/ranges.js';
import { scaffold } from '../packages/create-connector/src/scaffold.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const manifests = [
  'package.json',
  ...['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).map((dir) => `${group}/${dir}/package.json`),
  ),
];
const enginesOf = (path: string) =>
  (JSON.parse(read(path)) as { engines?: { node?: string } }).engines?.node;

/** Whether `version` (x.y.z) is in a range made of `^x.y` / `^x` alternatives. */
function allows(range: string, version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return range.split('||').some((alternative) => {
    const m = /^\^(\d+)(?:\.(\d+))?$/.exec(alternative.trim());
    if (!m) throw new Error(`engines alternative "${alternative}" is not ^x or ^x.y`);
    return Number(m[1]) === major && (minor ?? 0) >= Number(m[2] ?? 0);
  });
}

describe('supported Node versions', () => {
  const supported = enginesOf('package.json') ?? '';

  it('every package says the same engines range as the root', () => {
    expect(supported).not.toBe('');
    for (const path of manifests) expect([path, enginesOf(path)]).toEqual([path, supported]);
  });

  it('a connector made by create-connector says the same range', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'orch-node-support-'));
    try {
      const { dir } = scaffold({ id: 'gitlab', cwd, ranges: releasedRanges() });
      const made = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(made.engines).toEqual({ node: supported });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('README names that range and the majors in it', () => {
    const readme = read('README.md');
    expect(readme).toContain(`\`engines\` says \`${supported}\``);
    expect(readme).toContain('Supported Node.js versions: 20 (from 20.10) and 24,');
    expect(allows(supported, '20.10.0')).toBe(true);
    expect(allows(supported, '20.9.0')).toBe(false);
    expect(allows(supported, '22.12.0')).toBe(false);
    expect(allows(supported, '24.0.0')).toBe(true);
  });

  it('the Node 24 that scripts/test runs the suite on is one engines allows', () => {
    const pinned = /^VERSION=(\S+)$/m.exec(read('scripts/node24'))?.[1] ?? '';
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
    expect(allows(supported, pinned)).toBe(true);
    // scripts/test runs the suite a second time with that binary first on PATH.
    const script = read('scripts/test');
    expect(script).toContain('./scripts/node24');
    expect(script).toContain('PATH="$(dirname "$node"):$PATH"');
  });

  it('the Node running this suite is one engines allows', () => {
    // CI runs the suite on the machine's Node and on Node 24: both must be in the range.
    expect(allows(supported, process.versions.node)).toBe(true);
    const onPath = execFileSync('node', ['-p', 'process.versions.node'], { encoding: 'utf8' });
    expect(onPath.trim()).toBe(process.versions.node);
  });
});
