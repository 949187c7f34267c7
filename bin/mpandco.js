#!/usr/bin/env node
// Runs the compiled command (`npm run build`, also run by `npm ci` and `npm start`).
import fs from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!fs.existsSync(main)) {
  process.stderr.write('mpandco: not built yet: run `npm run build` (or `npm run dev -- <command>` to run the sources)\n');
  process.exit(1);
}
await import(main.href);
