import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('importing the connector loads neither the Drive client nor google-auth-library', () => {
  const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const script = `
    import { createRequire } from 'node:module';
    const { default: connector } = await import(${JSON.stringify(entry)});
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ id: connector.id, google: loaded.filter((p) => /googleapis|google-auth-library|gaxios/.test(p)).length }));
  `;
  const out = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
  );
  expect(out).toEqual({ id: 'gdrive', google: 0 });
});
