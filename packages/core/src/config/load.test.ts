import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { clearRegisteredSecrets, redact } from '../redact.js';
import { loadConfig } from './load.js';

let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'orch-config-'));
  home = mkdtempSync(join(tmpdir(), 'orch-home-'));
});
afterEach(() => clearRegisteredSecrets());

function write(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: where it looks', () => {
  it('prefers ORCHESTER_CONFIG_PATH, then the current directory, then home', () => {
    const explicit = write(
      'elsewhere.json',
      '{"default_connector":"a","connectors":{"a":{"type":"github"}}}',
    );
    write('.orchester.json', '{"default_connector":"cwd","connectors":{"cwd":{"type":"github"}}}');
    writeFileSync(
      join(home, '.orchester.json'),
      '{"default_connector":"home","connectors":{"home":{"type":"github"}}}',
    );
    expect(
      loadConfig({ cwd: dir, home, env: { ORCHESTER_CONFIG_PATH: explicit } }).defaultConnector,
    ).toBe('a');
    expect(loadConfig({ cwd: dir, home, env: {} }).defaultConnector).toBe('cwd');
    expect(loadConfig({ cwd: home, home, env: {} }).defaultConnector).toBe('home');
    expect(
      loadConfig({
        cwd: dir,
        home,
        env: { ORCHESTER_CONFIG_PATH: explicit },
        explicitPath: join(dir, '.orchester.json'),
      }).defaultConnector,
    ).toBe('cwd');
  });

  it('reads YAML as well as JSON', () => {
    write(
      '.orchester.yaml',
      'default_connector: gh\nconnectors:\n  gh:\n    type: github\n    org: acme\n',
    );
    const config = loadConfig({ cwd: dir, home, env: {} });
    expect(config.instances.get('gh')).toMatchObject({ type: 'github', block: { org: 'acme' } });
  });

  it('answers an empty config when no file exists, listing where it looked', () => {
    const config = loadConfig({ cwd: dir, home, env: {} });
    expect(config.file).toBeUndefined();
    expect(config.searched).toContain(join(dir, '.orchester.json'));
    expect(config.searched).toContain(join(home, '.orchester.yaml'));
  });
});

describe('loadConfig: instances', () => {
  it("keeps the seed's layout: a connector block at the top level under its type", () => {
    write(
      '.orchester.json',
      JSON.stringify({
        default_connector: 'github',
        github: { token: 'ghp_seedtoken123', org: 'acme' },
      }),
    );
    const config = loadConfig({ cwd: dir, home, env: {} });
    expect(config.instances.get('github')).toMatchObject({
      name: 'github',
      type: 'github',
      path: 'github',
      block: { org: 'acme' },
    });
  });

  it('holds several instances of one type under their own names, with base_url and limits', () => {
    write(
      '.orchester.json',
      JSON.stringify({
        connectors: {
          'github-oss': {
            type: 'github',
            org: 'oss',
            base_url: 'http://127.0.0.1:9/',
            limits: { concurrency: 2, rate: { max: 10, duration_ms: 1000 } },
          },
          'github-corp': { type: 'github', org: 'corp' },
        },
      }),
    );
    const config = loadConfig({ cwd: dir, home, env: {} });
    expect([...config.instances.keys()]).toEqual(['github-oss', 'github-corp']);
    expect(config.instances.get('github-oss')).toMatchObject({
      baseUrl: 'http://127.0.0.1:9/',
      limits: { concurrency: 2, rate: { max: 10, durationMs: 1000 } },
      block: { org: 'oss' },
    });
  });

  it('names the file, the path and the fix for a bad instance', () => {
    const file = write('.orchester.json', JSON.stringify({ connectors: { corp: { org: 'x' } } }));
    const error = errorOf(() => loadConfig({ cwd: dir, home, env: {} }));
    expect(error.message).toContain(file);
    expect(error.message).toContain('connectors.corp.type');
    expect(error.message).toContain('"type": "github"');
    expect(error.exitCode).toBe(2);
  });

  it('refuses bad limits with their path', () => {
    write(
      '.orchester.json',
      JSON.stringify({ connectors: { gh: { type: 'github', limits: { concurrency: 0 } } } }),
    );
    expect(errorOf(() => loadConfig({ cwd: dir, home, env: {} })).message).toContain(
      'connectors.gh.limits.concurrency',
    );
  });

  it('refuses a top-level setting it does not know that is not a block', () => {
    write('.orchester.json', JSON.stringify({ defualt_connector: 'gh' }));
    expect(errorOf(() => loadConfig({ cwd: dir, home, env: {} })).message).toContain(
      'defualt_connector: unknown setting',
    );
  });

  it('points at the line and column of a syntax error', () => {
    write('.orchester.json', '{\n  "connectors": {\n    "gh": { "type": "github", }\n  }\n}\n');
    expect(errorOf(() => loadConfig({ cwd: dir, home, env: {} })).message).toMatch(
      /not valid JSON at line 3, column \d+/,
    );
    write('.orchester.yaml', 'connectors:\n  gh: [unclosed\n');
    expect(
      errorOf(() =>
        loadConfig({ cwd: dir, home, env: {}, explicitPath: join(dir, '.orchester.yaml') }),
      ).message,
    ).toMatch(/not valid YAML at line \d+/);
  });

  it('says a named file is missing', () => {
    expect(
      errorOf(() => loadConfig({ cwd: dir, home, env: {}, explicitPath: 'nope.json' })).message,
    ).toMatch(/nope\.json does not exist/);
  });
});

describe('loadConfig: secrets', () => {
  it('warns when a file readable by others holds a literal secret, and registers it for redaction', () => {
    const file = write(
      '.orchester.json',
      JSON.stringify({ connectors: { gh: { type: 'github', token: 'literal-secret-value' } } }),
      0o644,
    );
    const config = loadConfig({ cwd: dir, home, env: {} });
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain(`chmod 600 ${file}`);
    expect(config.warnings[0]).toContain('connectors.gh.token');
    expect(config.warnings[0]).not.toContain('literal-secret-value');
    expect(redact('token is literal-secret-value')).toBe('token is [redacted]');
  });

  it('does not warn for an owner-only file or for env references', () => {
    write(
      '.orchester.json',
      JSON.stringify({ connectors: { gh: { type: 'github', token: 'literal-secret-value' } } }),
      0o600,
    );
    expect(loadConfig({ cwd: dir, home, env: {} }).warnings).toEqual([]);
    write(
      '.orchester.json',
      JSON.stringify({ connectors: { gh: { type: 'github', token: { env: 'GH_TOKEN' } } } }),
      0o644,
    );
    expect(loadConfig({ cwd: dir, home, env: {} }).warnings).toEqual([]);
  });
});
