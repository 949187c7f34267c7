import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEventType } from '../../src/callbacks/events.ts';
import { capture, commandVariables, isPageStep, shellCommand, type Shown } from '../../src/guides/guide.model.ts';
import { GUIDES } from '../../src/guides/guides.data.ts';
import { createMerchant, createPayer, type MerchantCreds } from '../../src/sandbox/demo.ts';
import { saveWebhook } from '../../src/webhooks/webhook-settings.service.ts';
import { testServer, type TestServer } from '../helpers/env.ts';

// Every guide's every command, run exactly as the page shows it: `sh -c` with the real curl,
// the variables in the environment (the values the reader sets, then what earlier answers
// gave). A .curlrc in CURL_HOME adds only `--write-out` of the status, so the command line
// stays the one shown. The answer must hold every field the guide shows. A step done on the
// app's page is done through the service that page calls. Production's steps (going live) run
// against a production server of their own, with an app not yet activated.

function curlPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('curl is not installed: the guides are run with the real curl (apt-get install -y curl)');
  }
}

const curlHome = fs.mkdtempSync(path.join(os.tmpdir(), 'guides-curl-'));
fs.writeFileSync(path.join(curlHome, '.curlrc'), 'write-out = "\\n%{http_code}"\n');

function run(command: string, vars: Record<string, string>): Promise<{ status: number; body: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { env: { PATH: process.env.PATH, HOME: curlHome, CURL_HOME: curlHome, ...vars } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { err += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`exit ${code}: ${command}\n${err}`));
      const cut = out.lastIndexOf('\n');
      const text = out.slice(0, cut);
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      resolve({ status: Number(out.slice(cut + 1)), body, text });
    });
  });
}

/** Checks that `actual` holds what the guide shows, saving each `{{NAME}}` into vars. */
function match(shown: Shown, actual: unknown, at: string, vars: Record<string, string>): void {
  const name = capture(shown);
  if (name) {
    expect(actual, `${at} is shown as <${name}>`).not.toBeUndefined();
    expect(actual, `${at} is shown as <${name}>`).not.toBeNull();
    const value = String(actual);
    if (vars[name] !== undefined) expect(value, `${at} is the ${name} seen before`).toBe(vars[name]);
    vars[name] = value;
  } else if (Array.isArray(shown)) {
    expect(Array.isArray(actual), `${at} is an array`).toBe(true);
    shown.forEach((v, i) => match(v, (actual as unknown[])[i], `${at}[${i}]`, vars));
  } else if (shown !== null && typeof shown === 'object') {
    expect(actual !== null && typeof actual === 'object', `${at} is an object`).toBe(true);
    for (const [k, v] of Object.entries(shown)) match(v, (actual as Record<string, unknown>)[k], `${at}.${k}`, vars);
  } else {
    expect(actual, at).toEqual(shown);
  }
}

describe('every guide, run with curl against a real sandbox', () => {
  let s: TestServer;
  let prod: TestServer;
  let merchant: MerchantCreds;
  const given: Record<string, string> = {};
  beforeAll(async () => {
    curlPath();
    // No configured secrets: a loopback sandbox answers the published ones, as `npm start` does,
    // so the values the guides show for them are the ones the commands run with.
    s = await testServer({ vars: { MPANDCO_SANDBOX_PATH: undefined, MPANDCO_SANDBOX_TOKEN: undefined } });
    const m = await createMerchant(s.ctx);
    merchant = m;
    prod = await testServer({ env: 'production' });
    const live = await createMerchant(prod.ctx);
    // The customer the billing guide names: the demo payer `npm start` makes, with its PIN.
    const maria = await createPayer(s.ctx, 1_000_00, { username: 'maria', pin: '1234' });
    Object.assign(given, {
      PAYER: maria.username, PAYER_PIN: maria.pin,
      BASE: s.baseUrl, CLIENT_ID: m.client_id, CLIENT_SECRET: m.client_secret,
      SANDBOX_PATH: s.ctx.secrets.sandboxPath, AUTORIZE_TOKEN: s.ctx.secrets.sandboxAutorizeToken,
      PROD_BASE: prod.baseUrl, PROD_CLIENT_ID: live.client_id, PROD_CLIENT_SECRET: live.client_secret,
    });
  });
  afterAll(async () => { await s.close(); await prod.close(); });

  for (const guide of GUIDES) {
    it(`${guide.slug.es}: every command answers what the guide shows`, async () => {
      for (const v of guide.variables) {
        expect(given[v.name], `variable ${v.name}`).toBeDefined();
        // A value the guide shows as it is (not the reader's own keys) is the one the sandbox answers.
        if (!v.placeholder && v.name !== 'BASE') expect(given[v.name], `variable ${v.name} as shown`).toBe(v.value);
      }
      const vars: Record<string, string> = Object.fromEntries(guide.variables.map((v) => [v.name, given[v.name]!]));
      for (const [i, step] of guide.steps.entries()) {
        if (isPageStep(step)) {
          // "Configurar webhook" on the app's page, with no endpoint: the types are recorded for the events API.
          expect(step.page.webhookEvents.every(isEventType), `step ${i + 1}: event types`).toBe(true);
          await saveWebhook(s.ctx, merchant.user_id, merchant.app_id, { url: '', events: step.page.webhookEvents });
          continue;
        }
        for (const name of commandVariables(step.curl)) expect(vars[name], `step ${i + 1} reads ${name}`).toBeDefined();
        const command = shellCommand(step.curl);
        const r = await run(command, vars);
        if (process.env.GUIDES_PRINT) console.log(command, '\n', r.status, r.text);
        expect(r.status, `step ${i + 1}: ${command}\n${r.text}`).toBe(step.status);
        match(step.answer, r.body, `step ${i + 1} answer`, vars);
      }
    });
  }
});

describe('the guide pages', () => {
  let s: TestServer;
  beforeAll(async () => { s = await testServer(); });
  afterAll(async () => s.close());

  it('list the guides in Spanish at /docs/guia and in English at /docs/guide', async () => {
    const es = await fetch(`${s.baseUrl}/docs/guia`);
    expect(es.status).toBe(200);
    const esHtml = await es.text();
    const en = await (await fetch(`${s.baseUrl}/docs/guide/`)).text();
    for (const g of GUIDES) {
      expect(esHtml).toContain(`href="/docs/guia/${g.slug.es}"`);
      expect(en).toContain(`href="/docs/guide/${g.slug.en}"`);
    }
    expect(esHtml).toContain('<html lang="es">');
    expect(en).toContain('<html lang="en">');
  });

  it('show every step: prose, the command as the test runs it (HTML-escaped), the status and answer', async () => {
    for (const g of GUIDES) {
      for (const lang of ['es', 'en'] as const) {
        const r = await fetch(`${s.baseUrl}/docs/${lang === 'es' ? 'guia' : 'guide'}/${g.slug[lang]}`);
        expect(r.status).toBe(200);
        const html = await r.text();
        expect(html).toContain('name="viewport" content="width=device-width');
        expect(html).toContain(`<h1>${g.title[lang]}</h1>`);
        for (const step of g.steps) {
          if (isPageStep(step)) {
            expect(html).toContain(lang === 'es' ? 'en la página de su aplicación' : 'on your app’s page');
            continue;
          }
          const escaped = shellCommand(step.curl).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
          expect(html).toContain(escaped);
          expect(html).toContain(`HTTP ${step.status}`);
        }
        expect(html).toContain(`BASE=&quot;${s.baseUrl}&quot;`);
        // The reader is told to keep the token the first answer gives.
        expect(html).toContain('TOKEN=&quot;&lt;TOKEN&gt;&quot;');
      }
    }
  });

  it('an unknown guide is a 404 page', async () => {
    const r = await fetch(`${s.baseUrl}/docs/guia/no-existe`);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('text/html');
  });
});

describe('where the guides are linked from', () => {
  let s: TestServer;
  beforeAll(async () => { s = await testServer(); });
  afterAll(async () => s.close());

  it('the sandbox home page and the API reference link the guides', async () => {
    const home = await (await fetch(`${s.baseUrl}/`, { headers: { 'accept-language': 'es' } })).text();
    expect(home).toContain('href="/docs/guia" id="guides-link"');
    const doc = await (await fetch(`${s.baseUrl}/docs/openapi.json`)).json() as { info: { description: string }; paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/docs'))).toEqual([]);
    expect(doc.info.description).toContain('(/docs/guia)');
    expect(doc.info.description).toContain('(/docs/guide)');
  });

  it('every guide README.md names exists, in its language', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const named = [...readme.matchAll(/\/docs\/(guia|guide)\/([a-z0-9-]+)/g)];
    expect(named.length).toBeGreaterThan(0);
    for (const [link, dir, slug] of named) {
      const lang = dir === 'guia' ? 'es' : 'en';
      expect(GUIDES.some((g) => g.slug[lang] === slug), link).toBe(true);
    }
  });
});
