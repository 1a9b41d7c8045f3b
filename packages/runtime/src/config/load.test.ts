import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, clearRegisteredSecrets, redact } from '@orchester/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    expect(error.category).toBe('input');
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

  it('refuses a top-level key it does not know, naming the nearest valid one', () => {
    const load = () => loadConfig({ cwd: dir, home, env: {} });
    write('.orchester.json', JSON.stringify({ defualt_connector: 'gh' }));
    expect(errorOf(load).message).toMatch(
      /"defualt_connector" is not a setting; did you mean "default_connector"\?/,
    );
    // A block is not taken for an instance of the seed's layout unless it is named after a type.
    write('.orchester.json', JSON.stringify({ conectors: { gh: { type: 'github' } } }));
    expect(errorOf(load).message).toMatch(
      /"conectors" is not a setting; did you mean "connectors"\?/,
    );
    write('.orchester.json', JSON.stringify({ github: { org: 'acme' } }));
    expect(load().instances.get('github')).toMatchObject({ type: 'github', path: 'github' });
  });

  it('refuses a key given twice in one JSON object, as YAML does', () => {
    write('.orchester.json', '{"connectors": {"gh": {"type": "github", "org": "a", "org": "b"}}}');
    expect(errorOf(() => loadConfig({ cwd: dir, home, env: {} })).message).toMatch(
      /has the key "org" twice in one object \(at line 1, column 54\); keep one/,
    );
  });

  it('refuses a YAML alias bomb with a config error, in bounded time', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'
        .split('')
        .map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
      'connectors: {}',
    ].join('\n');
    write('.orchester.yaml', bomb);
    const started = Date.now();
    expect(errorOf(() => loadConfig({ cwd: dir, home, env: {} })).message).toMatch(
      /uses YAML aliases too many times/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('takes only http(s) base URLs without credentials, and never echoes them', () => {
    for (const base_url of [
      'file:///etc/passwd',
      'http://user:pw-s3cret@127.0.0.1:4010',
      'ftp://x',
    ]) {
      write(
        '.orchester.json',
        JSON.stringify({ connectors: { gh: { type: 'github', base_url } } }),
      );
      const message = errorOf(() => loadConfig({ cwd: dir, home, env: {} })).message;
      expect(message).toMatch(/connectors\.gh\.base_url: an http\(s\) URL/);
      expect(message).not.toContain('s3cret');
      expect(message).not.toContain('/etc/passwd');
    }
  });

  it('warns of a world-readable file holding the dashboard token, an admin token or a Redis password', () => {
    for (const [config, where] of [
      [
        { connectors: { s: { type: 'slack', admin_token: 'xoxp-1234567890' } } },
        'connectors.s.admin_token',
      ],
      [{ worker: { http: { token: 'a-dashboard-token-1234' } } }, 'worker.http.token'],
      [{ redis: { url: 'redis://:hunter2-pw@127.0.0.1:6379' } }, 'redis.url'],
      [
        { redis: { cluster: { nodes: ['redis://:hunter2-pw@127.0.0.1:7000'] } } },
        'redis.cluster.nodes[0]',
      ],
    ] as const) {
      write('.orchester.json', JSON.stringify(config), 0o644);
      const { warnings } = loadConfig({ cwd: dir, home, env: {} });
      expect(warnings.join('\n')).toMatch(
        new RegExp(
          `readable by other users and holds a literal secret at .*${where.replace(/[.[\]]/g, '\\$&')}`,
        ),
      );
      write('.orchester.json', JSON.stringify(config), 0o600);
      expect(loadConfig({ cwd: dir, home, env: {} }).warnings).toEqual([]);
    }
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
