import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { randomToken, sha256 } from '../shared/ids.ts';
import { HOUR_MS } from '../shared/clock.ts';

export const SESSION_COOKIE = { user: 'mp_sid', operator: 'mp_op' } as const;
const SESSION_TTL_MS = 8 * HOUR_MS;

export function cookieOptions(ctx: Ctx) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.publicUrl.startsWith('https:'),
  };
}

export async function startSession(
  ctx: Ctx, reply: FastifyReply, userId: string, kind: 'user' | 'operator',
): Promise<void> {
  const id = randomToken(32);
  const now = ctx.clock.now();
  await ctx.store.autocommit.insertInto('sessions').values({
    id_hash: sha256(id), user_id: userId, kind, expires_at: now + SESSION_TTL_MS, created_at: now,
  }).execute();
  reply.setCookie(SESSION_COOKIE[kind], id, { ...cookieOptions(ctx), maxAge: SESSION_TTL_MS / 1000 });
}

export async function endSession(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, kind: 'user' | 'operator') {
  const id = request.cookies[SESSION_COOKIE[kind]];
  if (id) await ctx.store.autocommit.deleteFrom('sessions').where('id_hash', '=', sha256(id)).execute();
  reply.clearCookie(SESSION_COOKIE[kind], { path: '/' });
}

/** The signed-in person of this kind, or undefined. Expired sessions are ignored. */
export async function sessionUser(ctx: Ctx, request: FastifyRequest, kind: 'user' | 'operator') {
  const id = request.cookies[SESSION_COOKIE[kind]];
  if (!id || id.length > 100) return undefined;
  const row = await ctx.store.db.selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.full_name', 'u.business_name', 'u.kind', 'u.status', 's.expires_at', 's.kind as session_kind'])
    .where('s.id_hash', '=', sha256(id))
    .executeTakeFirst();
  if (!row || row.expires_at < ctx.clock.now() || row.status !== 'active' || row.session_kind !== kind) return undefined;
  return { id: row.id, username: row.username, fullName: row.business_name ?? row.full_name, kind: row.kind };
}
