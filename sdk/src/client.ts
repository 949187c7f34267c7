import { TokenManager, type TokenSource } from './auth.js';
import { MpandcoError } from './errors.js';
import { encodeForm } from './form.js';
import { Events } from './resources/events.js';
import { Billing, PaymentIntents } from './resources/payment-intents.js';
import { Payments, Profile } from './resources/payments.js';
import { Payouts } from './resources/payouts.js';
import { Sandbox } from './resources/sandbox.js';
import type { Route } from './routes.js';
import { exchange, type Answer, type FetchLike, type TransportOptions } from './transport.js';

/** Where `npm start` serves each environment; a deployment passes its own `baseUrl`. */
export const ENVIRONMENTS = {
  sandbox: 'http://localhost:8080',
  production: 'http://localhost:8090',
} as const;

export type Environment = keyof typeof ENVIRONMENTS;

export interface MpandcoClientOptions extends TokenSource {
  /** `sandbox` (default) or `production`: picks the base URL when `baseUrl` is not given. */
  environment?: Environment;
  /** The environment's address, e.g. `https://test.example.com`. */
  baseUrl?: string;
  /** Messages of the API in Spanish (the API's default) or English. */
  locale?: 'es' | 'en';
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** Retries of a request that got no answer, a 5xx other than 503, or a 409 "still running" (default 2). */
  maxRetries?: number;
  /** Send an Idempotency-Key, made up, with every POST that creates or moves something (default true). */
  autoIdempotency?: boolean;
  /** Another fetch (a proxy's, a test's); default: the platform's `fetch`. */
  fetch?: FetchLike;
  userAgent?: string;
}

export interface RequestOptions {
  /** This call's Idempotency-Key (up to 255 printable characters), or `false` to send none. */
  idempotencyKey?: string | false;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** What the last answer of a call said beyond its body. */
export interface ResponseInfo {
  status: number;
  headers: Headers;
  /** The key sent, when there was one. */
  idempotencyKey?: string;
  /** The server replayed the first answer to this key (`Idempotency-Replayed: true`). */
  replayed: boolean;
}

const responses = new WeakMap<object, ResponseInfo>();

/** The status, headers and idempotency details of the answer a resource came from. */
export function responseOf(resource: object): ResponseInfo | undefined {
  return responses.get(resource);
}

export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface CallSpec {
  route: Route;
  query?: string;
  body?: object;
  options?: RequestOptions;
  /** No bearer token (the sandbox helpers carry their own secret). */
  anonymous?: boolean;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) return reject(signal.reason);
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => {
    clearTimeout(timer);
    reject(signal.reason);
  }, { once: true });
});

export class MpandcoClient {
  readonly baseUrl: string;
  readonly environment: Environment;
  readonly paymentIntents: PaymentIntents;
  readonly billing: Billing;
  readonly payments: Payments;
  readonly payouts: Payouts;
  readonly profile: Profile;
  readonly events: Events;
  /** Sandbox-only helpers (automatic approval of sales). */
  readonly sandbox: Sandbox;
  readonly tokens: TokenManager;
  private readonly transport: TransportOptions;
  private readonly maxRetries: number;
  private readonly autoIdempotency: boolean;

  constructor(options: MpandcoClientOptions = {}) {
    this.environment = options.environment ?? 'sandbox';
    this.baseUrl = (options.baseUrl ?? ENVIRONMENTS[this.environment]).replace(/\/+$/, '');
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== 'function') throw new TypeError('No fetch: pass options.fetch on this platform');
    this.transport = {
      baseUrl: this.baseUrl, fetch: (input, init) => f(input, init), timeoutMs: options.timeoutMs ?? 30_000,
      locale: options.locale, userAgent: options.userAgent,
    };
    this.maxRetries = options.maxRetries ?? 2;
    this.autoIdempotency = options.autoIdempotency ?? true;
    this.tokens = new TokenManager(this.transport, options);
    this.paymentIntents = new PaymentIntents(this);
    this.billing = new Billing(this);
    this.payments = new Payments(this);
    this.payouts = new Payouts(this);
    this.profile = new Profile(this);
    this.events = new Events(this);
    this.sandbox = new Sandbox(this);
  }

  /** Calls one route: token, Idempotency-Key, one renewal on 401, retries, typed errors. */
  async request<T>(spec: CallSpec): Promise<T> {
    const { route, options = {} } = spec;
    const given = options.idempotencyKey;
    const key = route.method !== 'POST' || given === false ? undefined
      : given ?? (route.idempotent && this.autoIdempotency ? newIdempotencyKey() : undefined);
    const path = `${route.path}${spec.query ?? ''}`;
    // The sandbox helpers carry their secret in the query: errors name the route only.
    const label = spec.anonymous ? route.path : path;
    const form = spec.body === undefined ? (route.method === 'POST' ? '' : undefined) : encodeForm(spec.body);
    const send = async (token?: string): Promise<Answer> => exchange(this.transport, {
      method: route.method, path, form, signal: options.signal, label,
      headers: {
        ...options.headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
    });
    // Repeating is safe for reads and for writes that carry a key: the server runs a key once.
    const retryable = route.method === 'GET' || key !== undefined;
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      let res: Answer;
      try {
        let token = spec.anonymous ? undefined : await this.tokens.get();
        res = await send(token);
        if (res.status === 401 && !spec.anonymous && !renewed && this.tokens.canRenew) {
          renewed = true;
          token = await this.tokens.renew(token);
          res = await send(token);
        }
      } catch (e) {
        if (e instanceof MpandcoError && e.status === 0 && e.code === 'network_error' && retryable && attempt < this.maxRetries) {
          await sleep(backoffMs(attempt), options.signal);
          continue;
        }
        throw e;
      }
      const inProgress = res.status === 409 && res.headers.has('retry-after');
      if (retryable && attempt < this.maxRetries && (inProgress || res.status === 500 || res.status === 502 || res.status === 504)) {
        await sleep(retryAfterMs(res.headers) ?? backoffMs(attempt), options.signal);
        continue;
      }
      if (res.status < 200 || res.status >= 300) {
        throw new MpandcoError({ status: res.status, body: res.body, headers: res.headers, method: route.method, path: label, idempotencyKey: key });
      }
      if (res.body !== null && typeof res.body === 'object') {
        responses.set(res.body, {
          status: res.status, headers: res.headers, idempotencyKey: key, replayed: res.headers.get('idempotency-replayed') === 'true',
        });
      }
      return res.body as T;
    }
  }
}

const backoffMs = (attempt: number) => Math.min(8_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);

function retryAfterMs(headers: Headers): number | undefined {
  const s = Number(headers.get('retry-after'));
  return headers.has('retry-after') && Number.isFinite(s) && s >= 0 ? Math.min(s, 30) * 1000 : undefined;
}
