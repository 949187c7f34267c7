import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../helpers/env.ts';
import { postForm } from '../helpers/http.ts';
import { createPayer, type PayerCreds } from '../../src/sandbox/demo.ts';
import { deliverDue } from '../../src/callbacks/deliver.ts';
import { DAY_MS, HOUR_MS } from '../../src/shared/clock.ts';
import { MerchantServer } from '../callbacks/merchant-server.ts';
import { createRequest, executeDoc } from '../billing/fixtures.ts';
import { WebClient } from '../onboarding/web-client.ts';
import { createSale } from '../payment-intents/fixtures.ts';
import { merchantWithToken, paidSale, rowIds, signedIn, textOf, type Merchant } from './fixtures.ts';

const state = (s: TestServer, id: string) =>
  s.ctx.store.db.selectFrom('payment_intents').select(['state', 'annulled_at']).where('id', '=', id).executeTakeFirstOrThrow();

describe('merchant dashboard over HTTP', () => {
  let s: TestServer;
  let m: Merchant;
  let other: Merchant;
  let maria: PayerCreds;
  let web: WebClient;
  let otherWeb: WebClient;
  const shop = new MerchantServer();
  const sales: { id: string; ref: string }[] = [];

  beforeAll(async () => {
    [s] = await Promise.all([testServer(), shop.start()]);
    [m, other] = await Promise.all([merchantWithToken(s, { appName: 'Bodega Norte' }), merchantWithToken(s, { appName: 'Otra Tienda' })]);
    maria = await createPayer(s.ctx, 5_000_00, { fullName: '=HYPERLINK("http://x")' });
    // Three paid sales a day apart, the oldest first, each with its own invoice number.
    for (const [i, total] of ['10.00', '25.50', '7.25'].entries()) {
      const sale = await paidSale(s, m, maria.payer_id, total, { invoiceNumber: `F-${100 + i}` });
      sales.push({ id: sale.id, ref: sale.transactions[0].related_resources.sale.ref });
      s.clock.advance(DAY_MS);
    }
    // Another business's sale of the same amount, paid by the same person.
    await paidSale(s, other, maria.payer_id, '25.50', { invoiceNumber: 'F-101' });
    [web, otherWeb] = await Promise.all([signedIn(s, m), signedIn(s, other)]);
  });
  afterAll(async () => {
    await shop.close();
    await s?.close();
  });

  it('lists the account’s payments newest first, with their totals, and nothing of anyone else', async () => {
    const page = await web.get('/dashboard');
    expect(page.status).toBe(200);
    expect(rowIds(page.html)).toEqual(sales.map((x) => x.id).reverse());
    const text = textOf(page.html);
    expect(text).toContain('Operaciones 3');
    expect(text).toContain('Monto Bs. 42,75');
    expect(page.html).toContain('href="/dashboard"');
    const theirs = await otherWeb.get('/dashboard');
    expect(rowIds(theirs.html)).toHaveLength(1);
    expect(rowIds(theirs.html)).not.toContain(sales[1].id);
    expect(textOf(theirs.html)).toContain('Monto Bs. 25,50');
  });

  it('finds a payment by its reference, invoice number, payer or amount, only in its own account', async () => {
    const by = async (client: WebClient, q: string) => rowIds((await client.get(`/dashboard?q=${encodeURIComponent(q)}`)).html);
    expect(await by(web, sales[1].ref)).toEqual([sales[1].id]);
    expect(await by(web, sales[1].ref.toLowerCase())).toEqual([sales[1].id]);
    expect(await by(web, 'F-102')).toEqual([sales[2].id]);
    expect(await by(web, '25,50')).toEqual([sales[1].id]);
    expect(await by(web, maria.username)).toHaveLength(3);
    expect(await by(web, maria.phone)).toHaveLength(3);
    expect(await by(web, maria.document)).toHaveLength(3);
    expect(await by(web, 'nadie-con-este-nombre')).toEqual([]);
    // The other business cannot reach this one's payment by its reference, nor open it.
    expect(await by(otherWeb, sales[1].ref)).toEqual([]);
    expect((await otherWeb.get(`/dashboard/payments/${sales[1].id}`)).status).toBe(404);
    expect((await otherWeb.get(`/dashboard/payments/${sales[1].ref}`)).status).toBe(404);
  });

  it('filters by state, type, dates, amounts, reference, payer and app, and totals the filter', async () => {
    const f = async (query: string) => {
      const p = await web.get(`/dashboard?${query}`);
      return { ids: rowIds(p.html), text: textOf(p.html) };
    };
    expect((await f('min=10&max=25.50')).ids).toEqual([sales[1].id, sales[0].id]);
    const day2 = new Date(s.clock.now() - 2 * DAY_MS - 4 * HOUR_MS).toISOString().slice(0, 10);
    expect((await f(`from=${day2}&to=${day2}`)).ids).toEqual([sales[1].id]);
    expect((await f('state=executed')).ids).toHaveLength(3);
    expect((await f('state=annulled')).ids).toEqual([]);
    expect((await f('type=request')).ids).toEqual([]);
    expect((await f('type=sale&ref=F-100')).ids).toEqual([sales[0].id]);
    expect((await f(`payer=${maria.username}&max=9`)).ids).toEqual([sales[2].id]);
    expect((await f(`app=${m.app_id}`)).ids).toHaveLength(3);
    expect((await f(`app=${other.app_id}`)).ids).toEqual([]);
    const filtered = await f('min=10');
    expect(filtered.text).toContain('Operaciones 2');
    expect(filtered.text).toContain('Monto Bs. 35,50');
  });

  it('pages by cursor: the next page starts after the last row shown, also when new payments arrive', async () => {
    const extra = [];
    for (let i = 0; i < 52; i++) extra.push((await createSale(s, m, '1.00')).body.id);
    const first = await web.get('/dashboard');
    expect(rowIds(first.html)).toHaveLength(50);
    const next = /id="next-page" rel="next" href="[^"]*"|href="(\/dashboard\?[^"]*after=[^"]+)" id="next-page"/.exec(first.html);
    expect(next?.[1]).toBeTruthy();
    // A payment that arrives later: newer than every row already shown (the test clock stands
    // still otherwise, and rows of one instant are ordered by their random ids).
    s.clock.advance(1_000);
    try {
      await createSale(s, m, '2.00');
    } finally {
      s.clock.advance(-1_000);
    }
    const second = await web.get(next![1].replace(/&amp;/g, '&'));
    const all = [...rowIds(first.html), ...rowIds(second.html)];
    expect(new Set(all).size).toBe(55);
    expect(rowIds(second.html).slice(-3)).toEqual(sales.map((x) => x.id).reverse());
    expect(second.html).not.toContain('id="next-page"');
    expect(textOf(first.html)).toContain('Operaciones 55');
  });

  it('exports the filter as CSV: Spanish headers, two decimals, formulas neutralised', async () => {
    const res = await fetch(`${s.baseUrl}/dashboard/export.csv?state=executed`, { headers: { cookie: cookieOf(web) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="pagos-\d{4}-\d{2}-\d{2}\.csv"/);
    const csv = await res.text();
    const [header, ...lines] = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(header).toBe('Fecha;Tipo;Estado;Referencia;Factura;Descripción;Aplicación;Pagador;Nombre del pagador;Documento del pagador;Teléfono del pagador;Monto;Moneda;ID');
    expect(lines).toHaveLength(3);
    const cells = lines[0].split(';');
    expect(cells.slice(1, 5)).toEqual(['Venta', 'Cobrado', sales[2].ref, 'F-102']);
    expect(cells[8]).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(cells.slice(11)).toEqual(['7,25', 'VES', sales[2].id]);
    const theirs = await fetch(`${s.baseUrl}/dashboard/export.csv`, { headers: { cookie: cookieOf(otherWeb) } }).then((r) => r.text());
    expect(theirs).not.toContain(sales[1].id);
    expect(theirs.trim().split('\r\n')).toHaveLength(2);
  });

  it('shows a payment’s amounts, items, payer, timeline and ledger entries', async () => {
    const page = await web.get(`/dashboard/payments/${sales[1].ref}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    for (const part of ['Venta de Bs. 25,50', 'Factura F-101', 'phone (P001)', `@${maria.username}`, maria.document, maria.phone,
      'Creado por la aplicación', 'Autorizado por el pagador', 'Ejecutado: el dinero llegó a su cuenta', sales[1].ref, `-Bs. 25,50`]) {
      expect(text).toContain(part);
    }
    // Executed more than 24 hours ago: no Anular button, and a forced POST changes nothing.
    expect(page.html).not.toContain('id="annul"');
    const forced = await web.post(`/dashboard/payments/${sales[1].id}/annul`, { confirm: m.pin });
    expect(forced.status).toBe(400);
    expect(textOf(forced.html)).toContain('pasaron más de 24 horas');
    expect((await state(s, sales[1].id)).state).toBe('executed');
  });

  it('annuls with the PIN or the password, refuses a wrong one, and records who did it', async () => {
    const fresh = await paidSale(s, m, maria.payer_id, '30.00');
    const byPassword = await paidSale(s, m, maria.payer_id, '4.00');
    const page = await web.get(`/dashboard/payments/${fresh.id}`);
    expect(page.html).toContain('id="annul"');
    const wrongPin = await web.post(`/dashboard/payments/${fresh.id}/annul`, { confirm: m.pin === '0000' ? '1111' : '0000' });
    expect(wrongPin.status).toBe(400);
    expect(textOf(wrongPin.html)).toContain('El PIN es incorrecto.');
    const wrongPassword = await web.post(`/dashboard/payments/${fresh.id}/annul`, { confirm: 'no-es-la-clave-1' });
    expect(textOf(wrongPassword.html)).toContain('La contraseña es incorrecta.');
    expect((await state(s, fresh.id)).state).toBe('executed');
    // Another business cannot annul it, even with its own PIN.
    await otherWeb.get('/dashboard');
    expect((await otherWeb.post(`/dashboard/payments/${fresh.id}/annul`, { confirm: other.pin })).status).toBe(404);

    const ok = await web.post(`/dashboard/payments/${fresh.id}/annul`, { confirm: m.pin });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`/dashboard/payments/${fresh.id}?annulled=1`);
    expect((await state(s, fresh.id)).state).toBe('annulled');
    const shown = textOf((await web.get(ok.location!)).html);
    expect(shown).toContain('Pago anulado: el dinero volvió al pagador.');
    expect(shown).toContain(`Anulado desde el panel por ${m.username} (confirmado con PIN)`);
    expect(shown).toMatch(/reversa P\d{13}/);
    // Once annulled, the API's own rule answers a second attempt.
    const again = await web.post(`/dashboard/payments/${fresh.id}/annul`, { confirm: m.pin });
    expect(again.status).toBe(400);

    await web.get(`/dashboard/payments/${byPassword.id}`);
    expect((await web.post(`/dashboard/payments/${byPassword.id}/annul`, { confirm: m.password })).status).toBe(303);
    const audit = await s.ctx.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'payment.annul').orderBy('id').execute();
    expect(audit.map((a) => [a.operator_id, a.target_id, JSON.parse(a.details_json).confirmedWith, JSON.parse(a.details_json).via]))
      .toEqual([[m.user_id, fresh.id, 'pin', 'merchant'], [m.user_id, byPassword.id, 'password', 'merchant']]);
    const api = await postForm(`${s.baseUrl}/api/payment-intent/cancel.json`, { cancel_payment_intent: { paymentIntent: byPassword.id } }, m.auth);
    expect(api.status).toBe(400);
  });

  it('locks the PIN after five wrong ones, as the wallet does', async () => {
    const sale = await paidSale(s, m, maria.payer_id, '3.00');
    await web.get(`/dashboard/payments/${sale.id}`);
    const wrong = m.pin === '9999' ? '8888' : '9999';
    let last = '';
    for (let i = 0; i < 5; i++) last = textOf((await web.post(`/dashboard/payments/${sale.id}/annul`, { confirm: wrong })).html);
    expect(last).toContain('El PIN está bloqueado');
    const right = await web.post(`/dashboard/payments/${sale.id}/annul`, { confirm: m.pin });
    expect(textOf(right.html)).toContain('El PIN está bloqueado');
    expect((await state(s, sale.id)).state).toBe('executed');
    await s.ctx.store.autocommit.updateTable('users').set({ pin_locked_until: 0, pin_failed_count: 0 }).where('id', '=', m.user_id).execute();
  });

  it('shows a billing request’s callback attempts with the merchant’s answers', async () => {
    shop.status = 500;
    const req = await createRequest(s, m, maria.username, { total: '12.00', returnUrl: `${shop.base}/pos/ok` });
    const paid = await executeDoc(s, m, req.id, req.pay_tokens[0].id, maria.pin);
    expect(paid.status, paid.text).toBe(200);
    await deliverDue(s.ctx);
    const text = textOf((await web.get(`/dashboard/payments/${req.id}`)).html);
    expect(text).toContain('Solicitud de pago de Bs. 12,00');
    expect(text).toContain(`GET ${shop.base}/pos/ok?paymentIntent=${req.id}`);
    expect(text).toContain('respondió 500');
    expect(text).toContain('Próximo intento de notificación');
    expect(rowIds((await web.get('/dashboard?type=request')).html)).toEqual([req.id]);
    shop.status = 200;
  });

  it('draws the last 30 days as SVG with the same numbers in a table', async () => {
    const page = await web.get('/dashboard/charts');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<svg class="chart" id="chart-volume"[^>]*role="img"/);
    const rows = [...page.html.matchAll(/<tr data-day="([\d-]+)"><th scope="row">[^<]*<\/th><td>([^<]*)<\/td><td>(\d+)<\/td>/g)];
    expect(rows).toHaveLength(30);
    const executed = await s.ctx.store.db.selectFrom('payment_intents').select(['total_minor'])
      .where('owner_user_id', '=', m.user_id).where('state', '=', 'executed').execute();
    expect(rows.reduce((n, r) => n + Number(r[3]), 0)).toBe(executed.length);
    expect(textOf(page.html)).toContain('Bodega Norte');
  });

  it('lists payout batches, shows fees and settlement, and submits one with the PIN', async () => {
    const item = { multi_payment_item: { reference: 'NOM-7', nameAccount: 'Luis Pérez', identificationNumber: 'V12345678', bankAccount: '01020000000000000001', amount: '40.00' } };
    const reg = await postForm(`${s.baseUrl}/api/multipayment/register-item.json?type=DISPERSION`, item, m.auth);
    expect(reg.status, reg.text).toBe(200);
    const list = await web.get('/dashboard/payouts');
    const id = /<tr data-id="([^"]+)"/.exec(list.html)![1];
    expect(textOf(list.html)).toContain('Por enviar');
    const detail = await web.get(`/dashboard/payouts/${id}`);
    expect(textOf(detail.html)).toContain('Comisión Bs. 1,50');
    expect(textOf(detail.html)).toContain('NOM-7');
    expect(rowIds((await web.get('/dashboard?q=NOM-7')).html)).toEqual([id]);
    expect((await otherWeb.get(`/dashboard/payouts/${id}`)).status).toBe(404);
    const sent = await web.post(`/dashboard/payouts/${id}/submit`, { confirm: m.pin });
    expect(sent.status).toBe(303);
    const after = textOf((await web.get(sent.location!)).html);
    expect(after).toContain('Lote enviado.');
    expect(after).toMatch(/Liquidación prevista el \d{4}-\d{2}-\d{2}/);
    const audit = await s.ctx.store.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'payout.submit').execute();
    expect(audit).toEqual([{ action: 'payout.submit', target_id: id }]);
  });

  it('is for business accounts only, and speaks English when asked', async () => {
    const anonymous = await new WebClient(s.baseUrl).get('/dashboard');
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe('/login?next=%2Fdashboard');
    const person = new WebClient(s.baseUrl);
    await person.signIn(maria.username, maria.password);
    expect((await person.get('/dashboard')).status).toBe(404);
    expect((await person.get('/dashboard/export.csv')).status).toBe(404);
    const en = new WebClient(s.baseUrl, 'en');
    await en.signIn(m.username, m.password);
    const text = textOf((await en.get('/dashboard')).html);
    expect(text).toContain('Totals for this filter');
    expect(text).toContain('Export CSV');
  });
});

function cookieOf(client: WebClient): string {
  return [...(client as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
