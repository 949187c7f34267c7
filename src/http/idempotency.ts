import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { isUniqueViolation, type Tx } from '../db/store.ts';
import { ConflictError, DomainError, UnprocessableError, ValidationError } from '../shared/errors.ts';
import { defineMessages } from '../shared/i18n.ts';
import { sha256 } from '../shared/ids.ts';
import { HOUR_MS } from '../shared/clock.ts';
import { wireError } from './errors.ts';
import { withTxHook } from '../db/tx-hooks.ts';

export const idempotencyMsg = defineMessages({
  'idempotency.key_invalid': {
    es: 'La cabecera Idempotency-Key debe tener de 1 a 255 caracteres imprimibles.',
    en: 'The Idempotency-Key header must have 1 to 255 printable characters.',
  },
  'idempotency.body_mismatch': {
    es: 'Esta Idempotency-Key ya se usó con otra solicitud.',
    en: 'This Idempotency-Key was already used with a different request.',
  },
  'idempotency.in_progress': {
    es: 'Una solicitud con esta Idempotency-Key aún se está procesando. Reintente en un momento.',
    en: 'A request with this Idempotency-Key is still being processed. Retry in a moment.',
  },
  'idempotency.outcome_lost': {
    es: 'La solicitud con esta Idempotency-Key ya se procesó, pero su respuesta no se pudo guardar. Consulte el recurso para conocer su estado; no se repetirá.',
    en: 'The request with this Idempotency-Key was already processed, but its response could not be stored. Look the resource up to learn its state; it will not be repeated.',
  },
});

export interface Outcome {
  status: number;
  body: unknown;
}

/** Keys are kept 48 hours (the contract asks for at least 24). */
export const KEY_RETENTION_MS = 48 * HOUR_MS;
/**
 * A request holding a claim renews it this often while it runs. A claim with no sign of life
 * for CLAIM_LEASE_MS belongs to a process that died: a retry then takes it over (or, if its
 * work committed, is told so). Taking over is safe at any moment, since the old holder can no
 * longer commit; the lease only keeps a live request from losing its claim to its own retry.
 */
const HEARTBEAT_MS = 2_000;
export const CLAIM_LEASE_MS = 10_000;
/** A request still running after this long is presumed stuck and stops renewing its claim. */
const CLAIM_MAX_MS = 60_000;

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  if (Buffer.isBuffer(value)) return JSON.stringify(sha256(value.toString('base64')));
  return JSON.stringify(value ?? null);
}

function requestHash(request: FastifyRequest): string {
  const uploads = [...(request.uploads?.values() ?? [])].map((f) => `${f.field}:${sha256(f.data.toString('base64'))}`);
  return sha256(`${request.method} ${request.url}\n${stable(request.body)}\n${uploads.join(',')}`);
}

async function capture(request: FastifyRequest, run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof DomainError) return wireError(e, request.locale);
    throw e;
  }
}

/**
 * Runs an API POST at most once per (caller, Idempotency-Key). The same key and body
 * replays the first response with `Idempotency-Replayed: true`; the same key with another
 * body is 422; a retry while the first is still running is 409. Without the header the
 * handler simply runs.
 */
export async function idempotent(
  ctx: Ctx, request: FastifyRequest, reply: FastifyReply, scope: string, run: () => Promise<Outcome>,
): Promise<FastifyReply> {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) {
    const out = await capture(request, run);
    return reply.code(out.status).send(out.body);
  }
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.length > 255 || !/^[\x20-\x7e]+$/.test(key)) throw ValidationError.global('idempotency.key_invalid');
  const hash = requestHash(request);
  const db = ctx.store.autocommit;
  const now = ctx.clock.now();
  if (Math.random() < 0.01) {
    await db.deleteFrom('idempotency_keys').where('created_at', '<', now - KEY_RETENTION_MS).execute();
  }

  let claimedAt = now;
  for (let attempt = 0; ; attempt++) {
    try {
      await db.insertInto('idempotency_keys').values({
        scope, key, request_hash: hash, state: 'running', status_code: null, response_body: null, response_headers: null, created_at: now,
      }).execute();
      break;
    } catch (e) {
      if (!isUniqueViolation(e) || attempt > 2) throw e;
    }
    const row = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    if (!row) continue; // deleted meanwhile: claim again
    if (row.created_at < now - KEY_RETENTION_MS) {
      await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key)
        .where('created_at', '=', row.created_at).execute();
      continue;
    }
    if (row.request_hash !== hash) throw new UnprocessableError('idempotency.body_mismatch');
    if (row.state === 'done') {
      return reply.code(row.status_code ?? 200).header('idempotency-replayed', 'true')
        .type('application/json; charset=utf-8').send(row.response_body ?? 'null');
    }
    const alive = Math.max(Number(row.created_at), Number(row.heartbeat_at ?? 0));
    if (alive > now - CLAIM_LEASE_MS) {
      reply.header('retry-after', String(Math.max(1, Math.ceil((alive + CLAIM_LEASE_MS - now) / 1000))));
      throw new ConflictError('idempotency.in_progress');
    }
    // Its work committed but its response was never stored (the process died in between):
    // running it again could move money twice.
    if (row.state === 'committed') throw new ConflictError('idempotency.outcome_lost');
    // A claim abandoned before anything committed: take it over, unless it showed life meanwhile.
    const took = await db.updateTable('idempotency_keys').set({ created_at: now })
      .where('scope', '=', scope).where('key', '=', key).where('state', '=', 'running')
      .where('created_at', '=', row.created_at)
      .where((eb) => eb(eb.fn.coalesce('heartbeat_at', eb.val(0)), '=', Number(row.heartbeat_at ?? 0))).executeTakeFirst();
    if (Number(took.numUpdatedRows) === 1) {
      claimedAt = now;
      break;
    }
  }

  // Every write transaction of the handler also marks the key 'committed', in the same
  // transaction, and only while this request still holds the claim.
  let committed = false;
  const mineIn = (q: typeof db | Tx) => q.updateTable('idempotency_keys')
    .where('scope', '=', scope).where('key', '=', key).where('created_at', '=', claimedAt);
  const mine = () => mineIn(db);
  const hook = {
    async inTx(tx: Tx) {
      const r = await tx.updateTable('idempotency_keys').set({ state: 'committed' })
        .where('scope', '=', scope).where('key', '=', key).where('created_at', '=', claimedAt)
        .where('state', 'in', ['running', 'committed']).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) return;
      // Still ours if already answered (work left running after the answer); else the claim was taken over.
      const own = await tx.selectFrom('idempotency_keys').select('state')
        .where('scope', '=', scope).where('key', '=', key).where('created_at', '=', claimedAt).executeTakeFirst();
      if (own?.state !== 'done') throw new ConflictError('idempotency.in_progress');
    },
    committed() {
      committed = true;
    },
  };
  const release = async () => {
    // Nothing committed: the client's retry may run. Something did: keep the key, so that
    // a retry is refused rather than run twice.
    // Only a claim still 'running' is released: when a COMMIT failed with its outcome unknown
    // (PostgreSQL connection lost), a 'committed' mark that did reach the disk is kept.
    if (!committed) {
      await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key)
        .where('created_at', '=', claimedAt).where('state', '=', 'running').execute();
    }
  };

  // Timers keep the async context they were made in: this one runs outside the hook.
  const beat = setInterval(() => {
    const at = ctx.clock.now();
    if (at - claimedAt >= CLAIM_MAX_MS) {
      clearInterval(beat);
      return;
    }
    ctx.store.tx((tx) => mineIn(tx).set({ heartbeat_at: at }).where('state', 'in', ['running', 'committed']).execute())
      .catch(() => undefined); // a missed beat only lets the lease run out sooner
  }, HEARTBEAT_MS);
  beat.unref();

  let out: Outcome;
  try {
    out = await withTxHook(hook, () => capture(request, run));
  } catch (e) {
    await release();
    throw e;
  } finally {
    clearInterval(beat);
  }
  // Written once, by the route's own serializer: the replay is the same text, byte for byte.
  const text = String(reply.code(out.status).serialize(out.body));
  if (out.status >= 500) {
    await release();
  } else {
    await mine().set({ state: 'done', status_code: out.status, response_body: text }).execute();
  }
  return reply.type('application/json; charset=utf-8').send(text);
}
