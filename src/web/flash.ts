import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { cookieOptions } from './session.ts';

// A one-time message for the page a form redirects to (post/redirect/get), such as a new
// client secret: sealed with AES-GCM under a key from the cookie secret, readable by no one
// but this server, shown once and cleared by the page that reads it.

const FLASH_TTL_S = 300;
const cookieName = (name: string) => `mp_flash_${name}`;
const keyOf = (ctx: Ctx) => createHash('sha256').update(`flash:${ctx.secrets.cookieSecret}`).digest();

export function setFlash(ctx: Ctx, reply: FastifyReply, name: string, path: string, value: Record<string, string>): void {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(ctx), iv);
  const body = JSON.stringify({ ...value, exp: ctx.clock.now() + FLASH_TTL_S * 1000 });
  const sealed = Buffer.concat([iv, cipher.update(body, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64url');
  reply.setCookie(cookieName(name), sealed, { ...cookieOptions(ctx), path, maxAge: FLASH_TTL_S, sameSite: 'strict' });
}

/** The flash's fields once, or undefined (absent, expired, forged); the cookie is cleared either way. */
export function takeFlash(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, name: string, path: string): Record<string, string> | undefined {
  const raw = request.cookies[cookieName(name)];
  if (!raw) return undefined;
  reply.clearCookie(cookieName(name), { path });
  try {
    const data = Buffer.from(raw, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(ctx), data.subarray(0, 12));
    decipher.setAuthTag(data.subarray(data.length - 16));
    const body = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString('utf8');
    const value = JSON.parse(body) as Record<string, string | number>;
    if (typeof value.exp !== 'number' || value.exp < ctx.clock.now()) return undefined;
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'exp').map(([k, v]) => [k, String(v)]));
  } catch {
    return undefined;
  }
}
