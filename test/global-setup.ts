import { execFileSync } from 'node:child_process';

// The `mpandco` command runs compiled code: build it (incrementally) before any test
// spawns it, so a test never runs a stale dist/. Type errors are the typecheck's to report
// (tsc still emits); the tests then show what they break.
export default function setup(): void {
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
  } catch (e) {
    process.stderr.write(`build: tsc reported errors (run npm run typecheck):\n${(e as { stdout?: Buffer }).stdout ?? ''}\n`);
  }
  execFileSync(process.execPath, ['scripts/copy-assets.mjs'], { stdio: 'inherit' });
}
