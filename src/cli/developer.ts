import type { Ctx } from '../context.ts';
import { isEventType, type EventType } from '../callbacks/events.ts';
import { webhookSignatureHeader, SIGNATURE_HEADER, EVENT_HEADER } from '../callbacks/signature.ts';
import { apiDate } from '../shared/clock.ts';
import { randomToken } from '../shared/ids.ts';
import { trigger, TRIGGERABLE } from '../sandbox/trigger.service.ts';
import {
  eventsAfter, findApp, lastEventSeq, renewListening, stopListening, type AppChoice, type ListenedEvent,
} from '../webhooks/listen.service.ts';
import { output, parse, withEnv } from './args.ts';
import { UsageError, type Command } from './command.ts';
import { REGISTRY } from './registry.ts';

// The developer's two commands around webhooks: `listen` forwards a sandbox app's events to
// a local URL as its webhook would (signed the same way), `trigger` makes the sandbox objects
// whose change produces an event.

const POLL_MS = 1000;
const RENEW_MS = 20_000;
const FORWARD_TIMEOUT_MS = 10_000;

function forwardUrl(raw: unknown): URL {
  if (typeof raw !== 'string' || !raw) throw new UsageError('--forward-to URL is required (e.g. http://localhost:3000/hook)');
  try {
    const u = new URL(raw);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u;
  } catch { /* refused below */ }
  throw new UsageError(`--forward-to must be an absolute http(s) URL, got "${raw}"`);
}

function typesOf(raw: unknown): Set<string> | undefined {
  if (raw === undefined) return undefined;
  const list = String(raw).split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((t) => !isEventType(t) && t !== 'test');
  if (bad) throw new UsageError(`unknown event type "${bad}"`);
  return new Set(list);
}

interface Forwarded {
  event: string;
  type: string;
  status: number | null;
  error?: string;
  ms: number;
}

async function forward(url: URL, ev: { id: string; type: string; body: string; headers: Record<string, string> }): Promise<Forwarded> {
  const started = Date.now();
  try {
    const res = await fetch(url, { method: 'POST', body: ev.body, headers: ev.headers, redirect: 'manual', signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
    await res.arrayBuffer().catch(() => undefined);
    return { event: ev.id, type: ev.type, status: res.status, ms: Date.now() - started };
  } catch (e) {
    const err = e as { cause?: { code?: string }; message?: string };
    return { event: ev.id, type: ev.type, status: null, error: err.cause?.code ?? err.message ?? String(e), ms: Date.now() - started };
  }
}

function report(json: boolean, r: Forwarded): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const answer = r.status === null ? `error ${r.error}` : `${r.status}`;
  process.stdout.write(`${apiDate(Date.now())}  ${r.type.padEnd(20)}  ${r.event}  -> ${answer} (${r.ms} ms)\n`);
}

/** Stops on SIGINT / SIGTERM: resolves the promise the loop waits on. */
function untilSignal(): { stopped: () => boolean; sleep: (ms: number) => Promise<void> } {
  let stop = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    stop = true;
    wake?.();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    stopped: () => stop,
    sleep: (ms) => new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    }),
  };
}

/** Reads the sandbox store directly: every event type is recorded while the session runs. */
async function listenOnStore(ctx: Ctx, choice: AppChoice, url: URL, types: Set<string> | undefined, json: boolean): Promise<void> {
  const app = await findApp(ctx, choice);
  if (!app) throw new UsageError('no such active app in the sandbox: choose one with --client-id ID (or --app ID)');
  let secret = await renewListening(ctx, app.id);
  let renewed = Date.now();
  let seq = await lastEventSeq(ctx, app.id);
  // On PostgreSQL a transaction may commit after a later one: read again a little behind, skip what was sent.
  const seen = new Set((await eventsAfter(ctx, app.id, Math.max(0, seq - 100), secret)).map((e) => e.id));
  const loop = untilSignal();
  if (!json) {
    process.stdout.write(`Escuchando los eventos de "${app.name}" (client id ${app.client_id}) en el sandbox; reenvío a ${url.href}\n`);
    process.stdout.write(`Secreto de firma del webhook: ${secret}\nCtrl+C para terminar.\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ listening: true, app: app.client_id, forward_to: url.href, secret })}\n`);
  }
  try {
    while (!loop.stopped()) {
      if (Date.now() - renewed > RENEW_MS) {
        secret = await renewListening(ctx, app.id);
        renewed = Date.now();
      }
      const events: ListenedEvent[] = await eventsAfter(ctx, app.id, Math.max(0, seq - 100), secret);
      for (const ev of events) {
        seq = Math.max(seq, ev.seq);
        if (seen.has(ev.id)) continue;
        seen.add(ev.id);
        if (types && !types.has(ev.type)) continue;
        report(json, await forward(url, ev));
      }
      if (seen.size > 5000) for (const id of [...seen].slice(0, 2500)) seen.delete(id);
      if (events.length < 100) await loop.sleep(POLL_MS);
    }
  } finally {
    await stopListening(ctx, app.id);
  }
}

interface ApiMode {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  secret: string;
}

/** Reads a sandbox's events API: the app records the types its webhook chose. */
async function listenOnApi(api: ApiMode, url: URL, types: Set<string> | undefined, json: boolean): Promise<void> {
  const base = api.baseUrl.replace(/\/+$/, '');
  let token = '';
  const getToken = async () => {
    const res = await fetch(`${base}/oauth/v2/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:client_apps', client_id: api.clientId, client_secret: api.clientSecret }),
    });
    const body = await res.json() as { access_token?: string; error_description?: string };
    if (!res.ok || !body.access_token) throw new Error(`token refused: ${body.error_description ?? res.status}`);
    token = body.access_token;
  };
  const page = async (query: string) => {
    for (let i = 0; i < 2; i++) {
      if (!token) await getToken();
      const res = await fetch(`${base}/api/event/.json?${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status === 401) {
        token = '';
        continue;
      }
      if (!res.ok) throw new Error(`events API answered ${res.status}: ${await res.text()}`);
      return (await res.json() as { data: { id: string; type: string; environment: string }[] }).data;
    }
    throw new Error('events API: the token keeps expiring');
  };
  const seen = new Set((await page('maxPerPage=100')).map((e) => e.id));
  const loop = untilSignal();
  process.stdout.write(json ? `${JSON.stringify({ listening: true, app: api.clientId, forward_to: url.href, secret: api.secret })}\n`
    : `Escuchando el API de eventos de ${base} (client id ${api.clientId}); reenvío a ${url.href}\nSecreto de firma: ${api.secret}\n`);
  while (!loop.stopped()) {
    const fresh = (await page('maxPerPage=100')).filter((e) => !seen.has(e.id)).reverse();
    for (const e of fresh) {
      seen.add(e.id);
      if (e.environment !== 'sandbox') throw new Error('mpandco listen forwards sandbox events only');
      if (types && !types.has(e.type)) continue;
      // The API's event object is the webhook's body; it is signed here with the session's secret.
      const body = JSON.stringify(e);
      const now = Date.now();
      const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: webhookSignatureHeader(api.secret, body, now), [EVENT_HEADER]: e.id };
      report(json, await forward(url, { id: e.id, type: e.type, body, headers }));
    }
    await loop.sleep(POLL_MS);
  }
}

export const listenCommand: Command = {
  usage: REGISTRY.listen.usage,
  async run(argv) {
    const { values } = parse(argv, {
      'forward-to': { type: 'string' }, 'client-id': { type: 'string' }, app: { type: 'string' }, events: { type: 'string' },
      'base-url': { type: 'string' }, 'client-secret': { type: 'string' }, secret: { type: 'string' },
    });
    const url = forwardUrl(values['forward-to']);
    const types = typesOf(values.events);
    const json = Boolean(values.json);
    if (values['base-url']) {
      if (!values['client-id'] || !values['client-secret']) throw new UsageError('--base-url needs --client-id and --client-secret');
      await listenOnApi({
        baseUrl: String(values['base-url']), clientId: String(values['client-id']), clientSecret: String(values['client-secret']),
        secret: values.secret ? String(values.secret) : `whsec_${randomToken(24)}`,
      }, url, types, json);
      return 0;
    }
    const choice = { clientId: values['client-id'] as string | undefined, appId: values.app as string | undefined };
    await withEnv('sandbox', values['data-dir'] as string | undefined, (ctx) => listenOnStore(ctx, choice, url, types, json));
    return 0;
  },
};

export const triggerCommand: Command = {
  usage: REGISTRY.trigger.usage,
  async run(argv) {
    const { values, positionals } = parse(argv, { 'client-id': { type: 'string' }, app: { type: 'string' } });
    const type = positionals[0];
    if (!type || !isEventType(type)) throw new UsageError(`name an event: ${TRIGGERABLE.join(', ')}`);
    const choice = { clientId: values['client-id'] as string | undefined, appId: values.app as string | undefined };
    const done = await withEnv('sandbox', values['data-dir'] as string | undefined, async (ctx) => {
      const app = await findApp(ctx, choice);
      if (!app) throw new UsageError('no such active app in the sandbox: choose one with --client-id ID (or --app ID)');
      return trigger(ctx, app.id, type as EventType);
    });
    if (!done.recorded && !values.json) {
      process.stderr.write(`Aviso: la aplicación no registra eventos ${type}: elíjalo en su webhook o ejecute mpandco listen.\n`);
    }
    output(Boolean(values.json), { ...done },
      [`${type}: ${done.objectId} (${done.app.name})`, ...done.events.map((e) => `  ${e.type}  ${e.id}`)].join('\n'));
    return 0;
  },
};
