import { defineConfig } from 'vitest/config';

// Unit tests are colocated `*.test.ts`; tests that start servers, Redis or processes are
// `*.int.test.ts` in their own project with longer timeouts.
// scripts/test asks for a JSON summary too, to print one plain closing line.
const results = process.env.ORCHESTER_TEST_RESULTS;

export default defineConfig({
  test: {
    reporters: results ? ['default', ['json', { outputFile: results }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'int',
          include: [
            'packages/*/src/**/*.int.test.ts',
            'apps/*/src/**/*.int.test.ts',
            'test/**/*.int.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
