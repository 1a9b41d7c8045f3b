import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '../registry.js';
import { memoryConfig } from '../testing/registry-for.js';
import {
  type ConnectorPackage,
  findConnectorPackages,
  findUnscannedConnectors,
  isScannedName,
} from './find-connectors.js';
import { importOptionsSchema } from './options-entry.js';

// The built core package beside this one, as a project that installed orchester would have it.
const coreDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../core');

/** A third-party connector package, as its author would publish it, built on the real core. */
function writeConnectorPackage(dir: string, name: string, type: string, contract = '^1.0.0'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name,
      version: '3.1.4',
      type: 'module',
      exports: { '.': './index.js' },
      orchester: { connector: type, contract },
    }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { defineConnector } from '@orchester/core';
import { z } from 'zod';
globalThis.__imported = [...(globalThis.__imported ?? []), ${JSON.stringify(name)}];
export default defineConnector({
  id: ${JSON.stringify(type)},
  displayName: 'Echo',
  configSchema: z.object({ greeting: z.string().min(1) }).strict(),
  identifierSchema: z.string().min(1),
  identifierHint: 'anything',
  capabilities: { actions: ['check', 'add', 'remove'], roles: ['member'], list: false, serialWrites: false },
  limits: { concurrency: 1 },
  create: ({ config }) => ({
    check: async (id) => ({ state: 'member', detail: config.greeting + ' ' + id }),
    add: async () => ({ outcome: 'already-member' }),
    remove: async () => ({ outcome: 'not-member' }),
  }),
});
`,
  );
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'orch-discovery-'));
  // A project where orchester and a third-party connector are installed from npm.
  const nm = join(root, 'project', 'node_modules');
  mkdirSync(join(nm, '@orchester'), { recursive: true });
  symlinkSync(coreDir, join(nm, '@orchester', 'core'));
  symlinkSync(join(coreDir, 'node_modules', 'zod'), join(nm, 'zod'));
  writeConnectorPackage(join(nm, 'orchester-connector-echo'), 'orchester-connector-echo', 'echo');
  writeConnectorPackage(
    join(nm, '@acme', 'orchester-connector-future'),
    '@acme/orchester-connector-future',
    'future',
    '^2.0.0',
  );
  // Connectors by their marker, under names discovery does not scan.
  writeConnectorPackage(join(nm, 'gitlab-orchester'), 'gitlab-orchester', 'gitlab');
  writeConnectorPackage(join(nm, '@acme', 'connector-jira'), '@acme/connector-jira', 'jira');
  mkdirSync(join(nm, 'left-pad'), { recursive: true });
  writeFileSync(join(nm, 'left-pad', 'package.json'), JSON.stringify({ name: 'left-pad' }));
  // A connector kept in a folder of its own, outside any node_modules, named in config `plugins`.
  writeConnectorPackage(join(root, 'project', 'connectors', 'local'), 'local-connector', 'local');
  mkdirSync(join(root, 'project', 'app'), { recursive: true });
});

describe('findConnectorPackages', () => {
  it('finds connector packages installed beside the app by their marker, without importing them', () => {
    const found = findConnectorPackages({
      from: join(root, 'project', 'app'),
      includeGlobal: false,
    });
    expect(found.map((p) => [p.type, p.packageName, p.version, p.source])).toEqual([
      ['echo', 'orchester-connector-echo', '3.1.4', 'installed'],
      ['future', '@acme/orchester-connector-future', '3.1.4', 'installed'],
    ]);
    expect((globalThis as { __imported?: string[] }).__imported ?? []).toEqual([]);
  });

  it('adds connectors listed in config plugins, by path relative to the config file', () => {
    const found = findConnectorPackages({
      from: join(root, 'project', 'app'),
      plugins: ['./connectors/local'],
      configDir: join(root, 'project'),
      includeGlobal: false,
    });
    expect(found.find((p) => p.type === 'local')).toMatchObject({
      packageName: 'local-connector',
      source: 'plugins',
    });
  });

  it('scans @orchester/connector-*, orchester-connector-* and @scope/orchester-connector-* only', () => {
    expect(
      [
        '@orchester/connector-gitlab',
        'orchester-connector-gitlab',
        '@acme/orchester-connector-gitlab',
        '@acme/connector-gitlab',
        '@orchester/gitlab',
        'connector-gitlab',
        'gitlab-orchester-connector',
      ].filter(isScannedName),
    ).toEqual([
      '@orchester/connector-gitlab',
      'orchester-connector-gitlab',
      '@acme/orchester-connector-gitlab',
    ]);
  });

  it('names the packages that carry the marker under a name it does not scan, unless plugins lists them', () => {
    const from = join(root, 'project', 'app');
    expect(
      findUnscannedConnectors({ from, includeGlobal: false }).map((u) => [u.packageName, u.type]),
    ).toEqual([
      ['@acme/connector-jira', 'jira'],
      ['gitlab-orchester', 'gitlab'],
    ]);
    const listed = findConnectorPackages({
      from,
      plugins: ['gitlab-orchester'],
      configDir: join(root, 'project'),
      includeGlobal: false,
    });
    expect(listed.map((p) => p.type)).toContain('gitlab');
    expect(
      findUnscannedConnectors({
        from,
        includeGlobal: false,
        skip: listed.map((p) => p.dir),
      }).map((u) => u.packageName),
    ).toEqual(['@acme/connector-jira']);
  });

  it('takes a type from plugins before node_modules when two packages declare it', () => {
    writeConnectorPackage(join(root, 'project', 'connectors', 'echo2'), 'my-echo', 'echo');
    const found = findConnectorPackages({
      from: join(root, 'project', 'app'),
      plugins: ['./connectors/echo2'],
      configDir: join(root, 'project'),
      includeGlobal: false,
    });
    expect(found.find((p) => p.type === 'echo')).toMatchObject({
      packageName: 'my-echo',
      source: 'plugins',
    });
  });

  it('says which plugin entry is wrong', () => {
    expect(() =>
      findConnectorPackages({
        from: root,
        plugins: ['./nowhere'],
        configDir: root,
        includeGlobal: false,
      }),
    ).toThrow(/plugins: "\.\/nowhere" does not exist/);
    expect(() =>
      findConnectorPackages({
        from: join(root, 'project', 'app'),
        plugins: ['left-pad'],
        configDir: join(root, 'project'),
        includeGlobal: false,
      }),
    ).toThrow(/"left-pad" is not an orchester connector/);
  });
});

describe('importOptionsSchema', () => {
  it("reads a package's ./options entry without importing the connector, and says when there is none", async () => {
    const dir = join(root, 'with-options');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'with-options',
        type: 'module',
        exports: { '.': './index.js', './options': './options.js' },
        orchester: { connector: 'opt', contract: '^1.0.0' },
      }),
    );
    writeFileSync(join(dir, 'index.js'), 'throw new Error("the connector was imported");\n');
    writeFileSync(join(dir, 'options.js'), 'export default { shape: "the options schema" };\n');
    const pkg = (d: string): ConnectorPackage => ({
      type: 'opt',
      packageName: 'with-options',
      version: '1.0.0',
      dir: d,
      contract: '^1.0.0',
      source: 'plugins',
    });
    expect(await importOptionsSchema(pkg(dir))).toEqual({ shape: 'the options schema' });
    expect(await importOptionsSchema(pkg(join(root, 'project', 'connectors', 'local')))).toBe(
      undefined,
    );
  });
});

describe('ConnectorRegistry', () => {
  const registryWith = (instances: Parameters<typeof memoryConfig>[0]) =>
    new ConnectorRegistry({
      packages: findConnectorPackages({ from: join(root, 'project', 'app'), includeGlobal: false }),
      config: memoryConfig(instances),
    });

  it('imports a connector only when an instance is used, and runs it', async () => {
    const registry = registryWith({ echo: { type: 'echo', block: { greeting: 'hello' } } });
    expect((globalThis as { __imported?: string[] }).__imported ?? []).toEqual([]);
    const instance = await registry.instance('echo');
    expect(await instance.check('ada')).toEqual({ state: 'member', detail: 'hello ada' });
    expect((globalThis as { __imported?: string[] }).__imported).toEqual([
      'orchester-connector-echo',
    ]);
  });

  it('refuses a connector written for another contract, naming both versions', async () => {
    const registry = registryWith({ f: { type: 'future' } });
    await expect(registry.connectorOf('f')).rejects.toMatchObject({
      code: 'ORCH_CONTRACT_MISMATCH',
      message: expect.stringMatching(
        /written for orchester contract \^2\.0\.0, but this @orchester\/core offers contract 1\.3\.0/,
      ),
    });
  });

  it('says no such instance is configured first, then how to install a missing connector', () => {
    const registry = registryWith({ 'echo-a': 'echo' });
    expect(() => registry.selectInstance('slack')).toThrow(
      /^no instance "slack" is configured; configured: echo-a\. .*No connector "slack" is installed either \(installed: echo, future\); to use it: npm i @orchester\/connector-slack\.$/,
    );
    // A name that is not a connector type gets no install advice.
    expect(() => registry.selectInstance('b')).toThrow(
      /^no instance "b" is configured; configured: echo-a\. Pick one of them with -c, or add "connectors": \{"b": .*\}\} to .*\.( No connector "b" .*)?$/,
    );
  });

  it('selects instances by name, by a bare type with one instance, or by default', () => {
    const registry = registryWith({ 'echo-a': 'echo', 'echo-b': 'echo', 'future-x': 'future' });
    expect(registry.selectInstance('echo-b').name).toBe('echo-b');
    expect(registry.selectInstance('future').name).toBe('future-x');
    expect(() => registry.selectInstance('echo')).toThrow(
      /several instances \(echo-a, echo-b\); name one with -c/,
    );
    expect(() => registry.selectInstance(undefined)).toThrow(
      /pick one with -c NAME or set "default_connector"/,
    );
    expect(() => registry.selectInstance('echo-c')).toThrow(/no instance "echo-c"/);
  });

  it("validates an instance's block with the connector's schema, naming the path", async () => {
    const registry = registryWith({ echo: { type: 'echo', block: { greeting: '', extra: 1 } } });
    const error = await registry.instance('echo').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ORCH_CONFIG', category: 'input' });
    expect((error as Error).message).toContain(
      'connectors.echo: unknown key "extra" (remove or correct it)',
    );
    expect((error as Error).message).toContain('connectors.echo.greeting: Too small');
  });
});
