import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ranges } from './ranges.js';

/** The connector ids `defineConnector` accepts. */
const CONNECTOR_ID = /^[a-z][a-z0-9-]{0,38}$/;
const SCOPE = /^@[a-z0-9][a-z0-9._-]*$/;

export interface ScaffoldOptions {
  /** The connector type (`gitlab`): lower-case letters, digits and dashes. */
  readonly id: string;
  /** The service's name in messages (`GitLab`); defaults to the id, capitalized. */
  readonly displayName?: string;
  /** An npm scope (`@acme`): the package becomes `@acme/orchester-connector-ID`. */
  readonly scope?: string;
  /** Where to write; defaults to a folder named after the package, in `cwd`. */
  readonly dir?: string;
  readonly cwd: string;
  readonly ranges: Ranges;
}

/** Bad input to the scaffolder: the message names the argument and the fix. */
export class ScaffoldInputError extends Error {}

/** The package name discovery scans for a connector of this id (and scope). */
export function packageNameOf(id: string, scope?: string): string {
  if (scope === '@orchester') return `@orchester/connector-${id}`;
  return scope ? `${scope}/orchester-connector-${id}` : `orchester-connector-${id}`;
}

const TEMPLATE = fileURLToPath(new URL('../template/', import.meta.url));

function templateFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory()
      ? templateFiles(join(dir, name), `${prefix}${name}/`)
      : [`${prefix}${name}`],
  );
}

/** Writes a working connector package; checks everything before writing anything. */
export function scaffold(options: ScaffoldOptions): {
  dir: string;
  packageName: string;
  files: string[];
} {
  const { id, scope, ranges } = options;
  if (!CONNECTOR_ID.test(id)) {
    throw new ScaffoldInputError(
      `NAME "${id}" is not a connector id: use lower-case letters, digits and dashes, starting with a letter (e.g. gitlab)`,
    );
  }
  if (scope !== undefined && !SCOPE.test(scope)) {
    throw new ScaffoldInputError(`--scope "${scope}" is not an npm scope: write it as @name`);
  }
  const displayName = options.displayName ?? id.charAt(0).toUpperCase() + id.slice(1);
  if (/['`\\$\n]/.test(displayName)) {
    throw new ScaffoldInputError(
      `--display-name may not hold quotes, backslashes, $ or line breaks`,
    );
  }
  const packageName = packageNameOf(id, scope);
  const dir = resolve(options.cwd, options.dir ?? packageName.replace(/^@[^/]+\//, ''));
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ScaffoldInputError(
      `${relative(options.cwd, dir) || dir} exists and is not empty: pick another --dir, or remove it`,
    );
  }
  const fill = (text: string) =>
    text
      .replaceAll('__PACKAGE__', packageName)
      .replaceAll('__ID__', id)
      .replaceAll('__DISPLAY__', displayName)
      .replaceAll('__CORE_RANGE__', ranges['@orchester/core']);
  const files: string[] = [];
  for (const file of templateFiles(TEMPLATE)) {
    // npm never publishes a file named .gitignore, so the template holds it as gitignore.
    const target = file === 'gitignore' ? '.gitignore' : file;
    mkdirSync(join(dir, target, '..'), { recursive: true });
    writeFileSync(join(dir, target), fill(readFileSync(join(TEMPLATE, file), 'utf8')));
    files.push(target);
  }
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(manifest(packageName, id, displayName, ranges), null, 2)}\n`,
  );
  files.push('package.json');
  return { dir, packageName, files: files.sort() };
}

function manifest(name: string, id: string, displayName: string, ranges: Ranges) {
  const core = ranges['@orchester/core'];
  return {
    name,
    version: '0.1.0',
    description: `orchester connector for ${displayName}: check, add and remove people.`,
    type: 'module',
    license: 'MIT',
    keywords: ['orchester', 'orchester-connector', id],
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './sandbox': { types: './dist/sandbox/index.d.ts', default: './dist/sandbox/index.js' },
      './options': { types: './dist/options.d.ts', default: './dist/options.js' },
      './package.json': './package.json',
    },
    files: ['dist', 'src', '!src/**/*.test.ts'],
    // How orchester finds this package without importing it: the connector type, and the range
    // of orchester's connector contract (the version of @orchester/core) it was written for.
    orchester: { connector: id, contract: core },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      // Type-checks the tests too, then runs them against the emulator.
      test: 'tsc -p tsconfig.json && vitest run',
      prepack: 'npm run build',
    },
    engines: { node: '^20.10 || ^24' },
    peerDependencies: { '@orchester/core': core },
    dependencies: { '@orchester/sandbox': ranges['@orchester/sandbox'], zod: ranges.zod },
    devDependencies: {
      '@orchester/core': core,
      '@types/node': ranges['@types/node'],
      typescript: ranges.typescript,
      vitest: ranges.vitest,
    },
  };
}
