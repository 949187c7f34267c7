import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIALECT, dropSchema } from '../helpers/env.ts';
import { get } from '../helpers/http.ts';
import { randomHex } from '../../src/shared/ids.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

function startServe(env: NodeJS.ProcessEnv): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/mpandco.js', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Sandbox demo payers') || out.includes('Production has no demo data')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!out.includes('mPandco is running')) reject(new Error(`server exited ${code}:\n${out}`));
    });
  });
}

function runServe(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/mpandco.js', ...args], { env: process.env });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, err }));
  });
}

function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.on('exit', (code) => resolve(code));
    s.child.kill('SIGTERM');
  });
}

describe('mpandco serve (npm start)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-serve-'));
  const prefix = `t_${randomHex(6)}`;
  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (DIALECT === 'postgres') {
      await dropSchema(`${prefix}_sandbox`);
      await dropSchema(`${prefix}_production`);
    }
  });

  it('starts both environments, prints credentials, keeps everything across a restart, and stops gracefully', async () => {
    const [sp, pp] = [await freePort(), await freePort()];
    const env = {
      ...process.env, MPANDCO_DATA_DIR: dataDir, MPANDCO_PG_SCHEMA_PREFIX: prefix, LOG_LEVEL: 'warn',
      MPANDCO_SANDBOX_PORT: String(sp), MPANDCO_PRODUCTION_PORT: String(pp),
    };
    const first = await startServe(env);
    const out1 = first.output();
    expect(out1).toContain(`http://localhost:${sp}`);
    expect(out1).toContain(`http://localhost:${pp}`);
    const clientId = /client_id (\S+)/.exec(out1)?.[1];
    const secret = /client_secret (\S+)/.exec(out1)?.[1];
    const codesUrl = /(http:\S+\/codes\.json\?access_token=\S+)/.exec(out1)?.[1];
    expect(clientId).toBeTruthy();
    expect(secret).toBeTruthy();
    expect(codesUrl).toBeTruthy();
    expect((await get(`http://127.0.0.1:${sp}/health`)).body).toMatchObject({ status: 'ok', env: 'sandbox', store: DIALECT });
    expect((await get(`http://127.0.0.1:${pp}/health`)).body).toMatchObject({ status: 'ok', env: 'production', store: DIALECT });
    expect(await stop(first)).toBe(0);

    const second = await startServe(env);
    const out2 = second.output();
    // Same store: the seed is not made again, the demo app and its secret are the same.
    expect(/client_id (\S+)/.exec(out2)?.[1]).toBe(clientId);
    expect(/client_secret (\S+)/.exec(out2)?.[1]).toBe(secret);
    expect(out2).toMatch(/maria .* balance 10000\.00/);
    expect(await stop(second)).toBe(0);
  });

  it('serves HTTPS when given a certificate and key, with https links', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpandco-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const port = await freePort();
    const env = { ...process.env, MPANDCO_DATA_DIR: dataDir, MPANDCO_PG_SCHEMA_PREFIX: prefix, LOG_LEVEL: 'warn' };
    const child = spawn(process.execPath, ['bin/mpandco.js', 'serve', '--env', 'production', '--port', String(port),
      '--tls-cert', path.join(dir, 'cert.pem'), '--tls-key', path.join(dir, 'key.pem')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const s: Started = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(out)), 30_000);
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('Production has no demo data')) {
          clearTimeout(timer);
          resolve({ child, output: () => out });
        }
      });
    });
    expect(s.output()).toContain(`https://localhost:${port}`);
    const body = await new Promise<string>((resolve, reject) => {
      https.get(`https://127.0.0.1:${port}/health`, { rejectUnauthorized: false }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve(b));
      }).on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ status: 'ok', env: 'production' });
    expect(await stop(s)).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs several worker processes on the same ports with --workers', async () => {
    const port = await freePort();
    const env = { ...process.env, MPANDCO_DATA_DIR: dataDir, MPANDCO_PG_SCHEMA_PREFIX: prefix, LOG_LEVEL: 'warn' };
    const child = spawn(process.execPath, ['bin/mpandco.js', 'serve', '--env', 'sandbox', '--port', String(port), '--workers', '2'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const s: Started = await new Promise((resolve, reject) => {
      let out = '';
      // Two processes each load the code: slow on a loaded machine, so a generous bound.
      const timer = setTimeout(() => reject(new Error(out)), 100_000);
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('worker processes')) {
          clearTimeout(timer);
          resolve({ child, output: () => out });
        }
      });
    });
    expect(s.output()).toContain('(2 worker processes)');
    expect(s.output()).toContain('client_secret');
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`http://127.0.0.1:${port}/health`, { headers: { connection: 'close' } });
      expect(r.status).toBe(200);
    }
    expect(await stop(s)).toBe(0);
    const bad = await runServe(['serve', '--workers', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--workers');
  }, 150_000);

  it('refuses a bad flag with a clear message', async () => {
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['bin/mpandco.js', 'serve', '--env', 'staging'], { env: process.env });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => resolve({ code, err }));
    });
    expect(r.code).toBe(2);
    expect(r.err).toContain('--env must be sandbox, production or both');
  });

  it('refuses a PostgreSQL tuning variable that would leave payments waiting, before connecting', async () => {
    for (const [name, value] of [['MPANDCO_PG_GROUP', '0'], ['MPANDCO_PG_MIN_GROUP', 'eight'], ['MPANDCO_PG_LANES', '-1'], ['MPANDCO_PG_POOL', '0']]) {
      const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
        // Nothing listens on port 1: the refusal must come from the configuration, not the connection.
        const child = spawn(process.execPath, ['bin/mpandco.js', 'serve', '--env', 'sandbox'], {
          env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', [name]: value },
        });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => resolve({ code, err }));
      });
      expect(r.code).toBe(2);
      expect(r.err).toContain(name);
    }
  });
});
