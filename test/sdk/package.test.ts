import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantCreds } from '../../src/sandbox/demo.ts';
import { testServer, type TestServer } from '../helpers/env.ts';
import { merchant } from './support.ts';

// The package as it would be published: compiled by its own build, installed under its
// name, imported by plain Node (no TypeScript loader) and by a TypeScript consumer.

const run = promisify(execFile);
const SDK = path.resolve('sdk');
const TSC = path.resolve('node_modules/typescript/bin/tsc');

describe('SDK: the published package', () => {
  let dir: string;
  let pkg: string;
  let s: TestServer;
  let m: MerchantCreds;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-sdk-'));
    pkg = path.join(dir, 'node_modules', '@mpandco', 'sdk');
    fs.mkdirSync(pkg, { recursive: true });
    for (const f of ['package.json', 'README.md']) fs.copyFileSync(path.join(SDK, f), path.join(pkg, f));
    fs.cpSync(path.join(SDK, 'src'), path.join(pkg, 'src'), { recursive: true });
    fs.copyFileSync(path.join(SDK, 'tsconfig.json'), path.join(pkg, 'tsconfig.json'));
    fs.copyFileSync(path.join(SDK, 'tsconfig.build.json'), path.join(pkg, 'tsconfig.build.json'));
    await run(process.execPath, [TSC, '-p', path.join(pkg, 'tsconfig.build.json')]);
    s = await testServer();
    m = await merchant(s);
  });
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('plain Node imports it by name and calls the API with it', async () => {
    fs.writeFileSync(path.join(dir, 'app.mjs'), `
      import { MpandcoClient, signatureHeader, verifyWebhook } from '@mpandco/sdk';
      const [baseUrl, clientId, clientSecret] = process.argv.slice(2);
      const client = new MpandcoClient({ baseUrl, clientId, clientSecret });
      const me = await client.profile.get();
      const header = await signatureHeader('s', '{}');
      await verifyWebhook({ payload: '{}', signature: header, secret: 's' });
      console.log(JSON.stringify({ username: me.username, header }));
    `);
    const { stdout } = await run(process.execPath, ['app.mjs', s.baseUrl, m.client_id, m.client_secret], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual({ username: m.username, header: expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/) });
  });

  it('a TypeScript consumer gets the types through the exports map', async () => {
    fs.writeFileSync(path.join(dir, 'consumer.ts'), `
      import { MpandcoClient, MpandcoError, type PaymentIntent } from '@mpandco/sdk';
      const client = new MpandcoClient({ environment: 'sandbox', clientId: 'id', clientSecret: 'secret' });
      export async function pay(): Promise<string> {
        const intent: PaymentIntent = await client.paymentIntents.create({
          intent: 'sale', redirectUrls: { returnUrl: 'https://a.example/ok', cancelUrl: 'https://a.example/ko' },
          transactions: [{ amount: { total: '1.00' }, description: 'x' }],
        });
        try { await client.paymentIntents.show(intent); } catch (e) { if (e instanceof MpandcoError) return e.code; }
        // @ts-expect-error: the intent must be sale or request
        await client.paymentIntents.create({ intent: 'gift', redirectUrls: { returnUrl: '', cancelUrl: '' }, transactions: [] });
        return intent.state;
      }
    `);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, lib: ['ES2022', 'DOM'], types: [] },
      files: ['consumer.ts'],
    }));
    await run(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json')], { cwd: dir });
  });

  it('packs only the build, the sources, the README and the manifest; no runtime dependency', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SDK, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.exports['.']).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js' });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const { stdout } = await run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg });
    const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/client.js', 'src/index.ts']));
    expect(files.filter((f) => !/^(dist|src)\/|^(package\.json|README\.md|LICENSE)$/.test(f))).toEqual([]);
  });
});
