// The platform's sandbox environment, as `mpandco serve --env sandbox` runs it, without
// per-request info logs (LOG_LEVEL=warn), on the store chosen by DATABASE_URL.
import fs from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { envConfig } from '../src/config/config.ts';
import { openEnvironment } from '../src/platform.ts';
import { ensureSandboxSeed } from '../src/sandbox/seed.ts';

const [port, dataDir] = process.argv.slice(2);
const config = envConfig('sandbox', { port, dataDir }, process.env, true);
const ctx = await openEnvironment(config);
const demo = await ensureSandboxSeed(ctx);
fs.writeFileSync(path.join(dataDir, '.demo.json'), JSON.stringify(demo!.merchant));
const app = await buildApp(ctx, { logger: { level: 'warn' } });
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write(`READY ${port}\n`);
