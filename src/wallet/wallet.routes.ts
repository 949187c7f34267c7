import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import { walletsOf } from '../accounts/accounts.service.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { t } from '../shared/i18n.ts';
import { doc, text } from '../shared/input.ts';
import { page } from '../web/render.ts';
import { addWalletAction, requireUser, walletActionsHtml } from '../web/pages.routes.ts';
import { movementsOf } from './movements.ts';
import { emptyForm, formView, type FormView } from '../onboarding/form-view.ts';
import { addFundsToWallet } from './funds.service.ts';
import { executeTransfer, newConfirmationNonce, previewTransfer, SEND_ORDER, type SendInput, type TransferPreview } from './transfer.service.ts';
import { sentTransferByRef } from './transfer.repository.ts';
import { pinState } from '../sandbox/pin.service.ts';

function readSend(body: Record<string, unknown>): SendInput {
  const s = (k: string, max: number) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, max) : '');
  return { recipient: s('recipient', 100), amount: s('amount', 40), note: s('note', 400) };
}

async function renderSendForm(ctx: Ctx, request: FastifyRequest, reply: FastifyReply, values: Partial<SendInput>, form: FormView, status = 200) {
  const [account] = await walletsOf(ctx.store.db, request.pageUser!.id);
  return page(request, reply, 'wallet-send', { values, form, account }, status);
}

function renderConfirm(request: FastifyRequest, reply: FastifyReply, p: TransferPreview, input: SendInput, nonce: string, form: FormView, status = 200) {
  return page(request, reply, 'wallet-confirm', { preview: p, values: input, nonce, form }, status);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Registered once per process (the list is module-wide), not once per environment.
addWalletAction((request) => {
  const ref = text((request.query as Record<string, unknown> | undefined)?.funded);
  if (!ref || !/^P\d{13}$/.test(ref)) return '';
  return `<p class="notice" role="status">${escapeHtml(t(request.locale, 'wallet.funded', { ref }))}</p>`;
});

export async function registerWallet(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const web = { config: { web: true }, preHandler: requireUser };
  const post = { config: { web: true }, preHandler: [requireUser, app.csrfProtection] };

  app.get('/wallet', web, async (request, reply) => {
    const user = request.pageUser!;
    const [accounts, movements, pin] = await Promise.all([
      walletsOf(ctx.store.db, user.id), movementsOf(ctx.store.db, user.id), isSandbox(ctx) ? pinState(ctx, user.id) : undefined,
    ]);
    return page(request, reply, 'wallet', {
      accounts, movements, walletActions: await walletActionsHtml(request),
      // Sandbox: the PIN's state and "Desbloquear PIN" (src/sandbox/tools.routes.ts).
      pin, pinUnlocked: Boolean(pin) && (request.query as Record<string, unknown>).pin === 'unlocked', realNowMs: ctx.clock.now(),
    });
  });

  app.get('/wallet/send', web, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    return renderSendForm(ctx, request, reply, readSend(q), emptyForm());
  });

  app.post('/wallet/send/review', post, async (request, reply) => {
    const input = readSend(doc(request.body));
    try {
      const preview = await previewTransfer(ctx, request.pageUser!.id, input);
      return renderConfirm(request, reply, preview, input, newConfirmationNonce(ctx.clock.now()), emptyForm());
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderSendForm(ctx, request, reply, input, formView(e.tree, request.locale, SEND_ORDER), 400);
    }
  });

  app.post('/wallet/send', post, async (request, reply) => {
    const body = doc(request.body);
    const input = readSend(body);
    const nonce = text(body.nonce) ?? '';
    const pin = typeof body.pin === 'string' ? body.pin.slice(0, 16) : '';
    const userId = request.pageUser!.id;
    try {
      const done = await executeTransfer(ctx, userId, input, pin, nonce);
      return reply.redirect(`/wallet/send/done?ref=${encodeURIComponent(done.ref)}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const form = formView(e.tree, request.locale, SEND_ORDER);
      const onlyPin = !form.global.length && Object.keys(form.fields).every((k) => k === 'pin');
      if (onlyPin) {
        // Only the PIN was wrong: stay on the confirmation, with the same one-time nonce.
        const preview = await previewTransfer(ctx, userId, input).catch(() => undefined);
        if (preview) return renderConfirm(request, reply, preview, input, nonce, form, 400);
      }
      return renderSendForm(ctx, request, reply, input, form, 400);
    }
  });

  app.get('/wallet/send/done', web, async (request, reply) => {
    const ref = text((request.query as Record<string, unknown>).ref) ?? '';
    const transfer = await sentTransferByRef(ctx.store.db, request.pageUser!.id, ref);
    if (!transfer) throw new NotFoundError();
    return page(request, reply, 'wallet-sent', { transfer });
  });

  if (!isSandbox(ctx)) return;

  app.get('/wallet/test-funds', web, async (request, reply) => page(request, reply, 'wallet-funds', { values: {}, form: emptyForm() }));

  app.post('/wallet/test-funds', post, async (request, reply) => {
    const amount = typeof doc(request.body).amount === 'string' ? String(doc(request.body).amount).slice(0, 40) : '';
    try {
      const { ref } = await addFundsToWallet(ctx, request.pageUser!.id, amount);
      return reply.redirect(`/wallet?funded=${encodeURIComponent(ref)}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return page(request, reply, 'wallet-funds', { values: { amount }, form: formView(e.tree, request.locale, ['amount']) }, 400);
    }
  });
}
