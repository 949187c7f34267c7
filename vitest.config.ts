import { defineConfig } from 'vitest/config';

// Three projects, one run (`npm test`): `fast` (HTTP, stores, rules: a developer's loop,
// `npm run test:fast`), `browser` (real Chromium) and `cli` (real child processes).
const BROWSER = ['test/**/*.e2e.test.ts'];
const CLI = ['test/cli/**/*.test.ts', 'test/backoffice/admin-cli.test.ts', 'test/platform/serve.test.ts', 'test/sdk/package.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...BROWSER, ...CLI] } },
      { extends: true, test: { name: 'browser', include: BROWSER } },
      { extends: true, test: { name: 'cli', include: CLI } },
    ],
  },
});
