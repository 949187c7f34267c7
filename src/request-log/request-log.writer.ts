import type { Ctx } from '../context.ts';
import { outsideTransaction } from '../db/tx-guard.ts';
import { tokenOf } from '../oauth/bearer.ts';
import { doc } from '../shared/input.ts';
import { safeEqual, sha256 } from '../shared/ids.ts';
import { loggedBody, redactAuthorization, redactQuery, truncate } from './redact.ts';
import { appsOfTokens, clientsOf, insertLogRows, type NewLogRow } from './request-log.repository.ts';

// The request log is written off the request path: a call only appends a small record to this
// process's buffer, and a flush (every FLUSH_MS, at FLUSH_ROWS records, on close, or when a
// test asks) redacts the bodies, finds each call's app from its credentials and writes them
// with multi-row INSERTs. A failed flush is logged and dropped: the log never fails or slows
// a request. What a crash loses is the buffer: at most the last FLUSH_MS of calls.

/** What a call leaves in the buffer: references and a few strings, nothing computed yet. */
export interface CapturedCall {
  /** When the answer went out, by ctx.clock: the log's order is the order of the answers. */
  at: number;
  method: string;
  url: string;
  status: number;
  durationMs: number;
  requestId: string;
  authorization?: string;
  /** The `access_token` query parameter, which also carries a bearer token. */
  accessTokenParam?: string;
  contentType?: string;
  userAgent?: string;
  idempotencyKey?: string;
  /** Whose credentials to look for: an API call's bearer token, or the token endpoint's client. */
  kind: 'api' | 'token';
  body: unknown;
  response: unknown;
}

export interface WriterOptions {
  flushMs: number;
  flushRows: number;
  /** Past this many records waiting, new ones are dropped (and counted) until a flush drains them. */
  maxBuffered: number;
  /** Rows per INSERT. */
  insertRows: number;
}

export const WRITER_DEFAULTS: WriterOptions = { flushMs: 250, flushRows: 200, maxBuffered: 5_000, insertRows: 100 };
const TOKEN_CACHE_MAX = 10_000;
const IN_LIST_MAX = 500;

const short = (s: string | undefined, max: number) => (s === undefined ? undefined : s.slice(0, max));

export class RequestLogWriter {
  private buffer: CapturedCall[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private dropped = 0;
  private closed = false;
  // Calls put in the buffer so far, and taken out of it: the buffer holds calls [taken, recorded).
  // A flush asked for covers the calls recorded until then: [.., asked).
  private recorded = 0;
  private taken = 0;
  private asked = 0;
  // A token belongs to one app for its whole life: once found, never looked up again.
  private readonly tokenApps = new Map<string, string>();

  constructor(private readonly ctx: Ctx, private readonly opts: WriterOptions = WRITER_DEFAULTS) {}

  /** Appends a call; synchronous and never throws. */
  record(call: CapturedCall): void {
    if (this.closed) return;
    if (this.buffer.length >= this.opts.maxBuffered) {
      this.dropped++;
      return;
    }
    this.buffer.push(call);
    this.recorded++;
    // flushRows calls that no flush covers yet ask for one now. (Counting the buffer instead
    // would ask again at every call while a flush waits for the store, each new flush taking
    // the one or two calls recorded since the last.)
    if (this.recorded - this.asked >= this.opts.flushRows) this.schedule(0);
    else if (!this.timer) this.schedule(this.opts.flushMs);
  }

  /** Writes everything recorded so far; resolves once it is in the store (or its failure logged). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const upTo = this.recorded;
    this.asked = upTo;
    const run = this.chain.then(() => this.drain(upTo));
    this.chain = run;
    return run;
  }

  /** Writes what is left and records nothing more. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    // The flush belongs to no request: scheduled outside any transaction's context.
    this.timer = outsideTransaction(() => setTimeout(() => void this.flush(), ms));
    this.timer.unref();
  }

  /**
   * Writes the calls recorded before the flush was asked for (up to the `upTo`th). Calls
   * recorded later, while it waits or writes, wait for a flush of their own (the timer, or
   * `flushRows` of them): taking them along would turn a busy server's log into a stream of
   * small commits, one per handful of answers.
   */
  private async drain(upTo: number): Promise<void> {
    const batch = this.buffer.splice(0, Math.max(0, upTo - this.taken));
    this.taken += batch.length;
    if (batch.length) {
      try {
        await this.write(batch);
      } catch (e) {
        this.ctx.log.warn({ err: e, calls: batch.length }, 'request log: a batch could not be written');
      }
    }
    if (this.dropped) {
      this.ctx.log.warn({ dropped: this.dropped }, 'request log: calls dropped while the buffer was full');
      this.dropped = 0;
    }
  }

  private async write(batch: CapturedCall[]): Promise<void> {
    const apps = await this.appsOf(batch);
    const rows: NewLogRow[] = [];
    batch.forEach((call, i) => {
      const appId = apps[i];
      if (appId) rows.push(toRow(call, appId));
    });
    const chunks: NewLogRow[][] = [];
    for (let i = 0; i < rows.length; i += this.opts.insertRows) chunks.push(rows.slice(i, i + this.opts.insertRows));
    // On SQLite a flush is one transaction, which joins the next group commit (one fsync
    // shared with the payments); on PostgreSQL each INSERT commits on its own connection,
    // outside the payments' groups.
    if (this.ctx.store.dialect === 'sqlite') {
      if (chunks.length) await this.ctx.store.tx(async (tx) => {
        for (const chunk of chunks) await insertLogRows(tx, chunk);
      });
    } else {
      for (const chunk of chunks) await insertLogRows(this.ctx.store.autocommit, chunk);
    }
  }

  /** Each call's app, or undefined when its credentials belong to none. */
  private async appsOf(batch: CapturedCall[]): Promise<(string | undefined)[]> {
    const creds = batch.map(credentialOf);
    const unknown = new Set<string>();
    for (const c of creds) if (c && 'tokenHash' in c && !this.tokenApps.has(c.tokenHash)) unknown.add(c.tokenHash);
    for (const part of chunks([...unknown])) {
      for (const r of await appsOfTokens(this.ctx.store.db, part)) {
        if (this.tokenApps.size >= TOKEN_CACHE_MAX) this.tokenApps.clear();
        this.tokenApps.set(r.token_hash, r.app_id);
      }
    }
    const clientIds = new Set<string>();
    for (const c of creds) if (c && 'clientId' in c) clientIds.add(c.clientId);
    const clients = new Map<string, { id: string; secret_hash: string }>();
    for (const part of chunks([...clientIds])) for (const r of await clientsOf(this.ctx.store.db, part)) clients.set(r.client_id, r);
    return creds.map((c) => {
      if (!c) return undefined;
      if ('tokenHash' in c) return this.tokenApps.get(c.tokenHash);
      const app = clients.get(c.clientId);
      // Only a client that proved its secret is that app: anyone can send a client id.
      return app && safeEqual(c.secretHash, app.secret_hash) ? app.id : undefined;
    });
  }
}

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += IN_LIST_MAX) out.push(list.slice(i, i + IN_LIST_MAX));
  return out;
}

type Credential = { tokenHash: string } | { clientId: string; secretHash: string };

/** The credentials a call presented, hashed as the store keeps them. */
function credentialOf(call: CapturedCall): Credential | undefined {
  if (call.kind === 'api') {
    const token = tokenOf(call.authorization, { access_token: call.accessTokenParam });
    return token ? { tokenHash: sha256(token) } : undefined;
  }
  const client = clientCredentials(call.authorization, call.body);
  return client && client.id.length <= 200 && client.secret.length <= 200
    ? { clientId: client.id, secretHash: sha256(client.secret) } : undefined;
}

/** The token endpoint's client: HTTP Basic, or client_id and client_secret in the body (RFC 6749 section 2.3.1). */
function clientCredentials(authorization: string | undefined, body: unknown): { id: string; secret: string } | undefined {
  const basic = authorization ? /^\s*basic\s+([A-Za-z0-9+/=]{1,1024})\s*$/i.exec(authorization) : null;
  if (basic) {
    const pair = Buffer.from(basic[1], 'base64').toString('utf8');
    const i = pair.indexOf(':');
    return i > 0 ? { id: pair.slice(0, i), secret: pair.slice(i + 1) } : undefined;
  }
  const b = doc(body);
  return typeof b.client_id === 'string' && typeof b.client_secret === 'string' ? { id: b.client_id, secret: b.client_secret } : undefined;
}

function toRow(call: CapturedCall, appId: string): NewLogRow {
  const q = call.url.indexOf('?');
  const path = q === -1 ? call.url : call.url.slice(0, q);
  const query = q === -1 ? '' : truncate(redactQuery(call.url.slice(q + 1)), 2048).text;
  const headers: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => value !== undefined && (headers[name] = value.slice(0, 300));
  put('authorization', redactAuthorization(call.authorization));
  put('content-type', call.contentType);
  put('user-agent', call.userAgent);
  const request = loggedBody(call.body);
  const response = loggedBody(call.response);
  return {
    app_id: appId, created_at: call.at, method: call.method.slice(0, 10), path: path.slice(0, 2048), query,
    status: call.status, duration_ms: call.durationMs, idempotency_key: short(call.idempotencyKey, 255) ?? null,
    request_id: call.requestId.slice(0, 100), request_headers: JSON.stringify(headers),
    request_body: request.text, request_truncated: request.truncated ? 1 : 0,
    response_body: response.text, response_truncated: response.truncated ? 1 : 0,
  };
}

// One writer per environment's app in this process.
const writers = new WeakMap<Ctx, RequestLogWriter>();

export function openRequestLog(ctx: Ctx, opts?: WriterOptions): RequestLogWriter {
  const w = new RequestLogWriter(ctx, opts);
  writers.set(ctx, w);
  return w;
}

/** Writes the calls this process has recorded so far (tests call it instead of waiting). */
export async function flushRequestLog(ctx: Ctx): Promise<void> {
  await writers.get(ctx)?.flush();
}
