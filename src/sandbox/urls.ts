import type { Ctx } from '../context.ts';

/** The full URLs of the sandbox helpers, with their secret path and token. */
export function sandboxUrls(ctx: Ctx) {
  const base = `${ctx.config.publicUrl}/${ctx.secrets.sandboxPath}`;
  const token = encodeURIComponent(ctx.secrets.sandboxToken);
  const autorizeToken = encodeURIComponent(ctx.secrets.sandboxAutorizeToken);
  return {
    codes: `${base}/codes.json?access_token=${token}`,
    autorize: `${base}/payment-intent/autorize.json?access_token=${autorizeToken}&id=`,
  };
}
