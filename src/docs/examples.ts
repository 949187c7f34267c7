// Real-looking answers for the API reference: what a sandbox returns, ids shortened.

const base = 'https://test.example.com';
const id = '5f0c2d3e-7a1b-4c1e-9d3a-2b7e8f9a0c11';
const payer = '0b6a1f3c-2d4e-4f5a-8b9c-1d2e3f4a5b6c';
const VES = { id: 'VES', name: 'Bolívar', abbreviation: 'Bs.', num: 928, num_decimals: 2 };

export const summaryExample = {
  summary_1: 'Recibido: 20,00 VES', summary_2: '20,00 VES', summary_3: 'Cuenta abonada', summary_4: 'Cuenta remitente',
  summary_5: 'Pago recibido', summary_status_color: '#388E3C', username: 'maria', user_from: 'Maria Perez', amount: 0,
  status: 'Completado', type_payment_label: 'Pago recibido de maria', summary_amount: { summary_1: '20.00', summary_2: '20.00' },
  created_at: 'hace menos de un minuto', external_platform: 'mPandco', external_id: null,
};

export const intentExample = {
  id, intent: 'sale', state: 'executed',
  payer: { payer_info: { id: payer, _data: { fullname: '584125550001' } } },
  redirect_urls: {
    return_url: 'https://shop.example/ok?cart=9', cancel_url: 'https://shop.example/ko?cart=9', history_responses: [],
  },
  total: { currency: VES, items: 17.5, shipping: 1.2, tax: 1.3, amount: 20 },
  transactions: [{
    id: '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
    amount: { currency: VES, total: 20, details: { shipping: 1.2, tax: 1.3, sub_total: 17.5 } },
    items: [{ name: 'Harina PAN 1kg', quantity: 2, currency: VES, sku: 'P001', price: 8.75 }],
    description: 'Orden 9', invoice_number: 'F00015',
    digital_account_destination: { username: 'demo01' },
    related_resources: { sale: { id: '7e8f9a0b-1c2d-4e3f-a4b5-c6d7e8f9a0b1', ref: 'P2611260000001', _data: summaryExample } },
    distributions: [],
  }],
  _links: {
    self: { href: `${base}/api/payment-intent/show.json?id=${id}`, method: 'GET' },
    execute: { href: `${base}/api/payment-intent/execute/sale.json?id=${id}`, method: 'POST' },
    approval_url: { href: `${base}/p/express-checkout/${id}/1`, method: 'GET' },
    cancel: { href: `${base}/api/payment-intent/cancel.json`, method: 'POST' },
  },
};

export const paymentExample = {
  id: '7e8f9a0b-1c2d-4e3f-a4b5-c6d7e8f9a0b1', created_at: '2026-11-26 18:26:34', ref: 'P2611260000001',
  amount_environment_operation: '20.00', amount_total: '20.00', status: 9000, type: 1000, recipient: 'demo01',
  user: { id: payer, _data: { fullname: '584125550001' } },
  payment_methods: [{
    created_at: '2026-11-26 18:26:34',
    operation_method: {
      id: '8d1f1c52-5b0e-4a53-9a3c-6d0a8f2e7b10', created_at: '2026-01-01 00:00:00', name: 'mPandco a mPandco',
      description: 'Pago con el saldo de la cuenta mPandco.', icon: 'mp-mpandco-mpandco', item_order: 1000,
      mode_operation: { id: 'balance_mpandco', created_at: '2026-01-01 00:00:00', name: 'Saldo mPandco' },
      childs: [], mode_form: 'SENDING', external_platform: 'MPANDCO',
    },
    amount_environment_operation: 20, amount_total: 20,
    item_operations: [{ created_at: '2026-11-26 18:26:34', description: 'Monto a enviar', amount: 20 }],
  }],
  digital_account_source: { id: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d', created_at: '2026-11-20 09:12:00', name: 'Maria Perez' },
  _data: summaryExample,
};

export const profileExample = {
  id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', username: 'demo01', full_name: 'Representante Legal',
  business_name: 'Pizza Express, C.A.', identity_document: 'J123456789', phone: '584125550000', email: 'demo01@example.com',
  type: 'business', digital_accounts: [{ id: '6d7e8f9a-0b1c-4d2e-9f3a-4b5c6d7e8f9a', username: 'demo01', name: 'Pizza Express, C.A.', currency: VES, balance: 1234.56 }],
};

const batch = {
  id: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f', ref: 'MPB2611260000001', type: 'DISPERSION', status: 'PROCESSING', item_count: 1,
  amount_total: '20.00', fee_total: '1.50', debit_total: '21.50', created_at: '2026-11-26 10:00:00', submitted_at: '2026-11-26 10:05:00',
};
export const batchExample = batch;
export const batchWithItemsExample = {
  ...batch,
  items: [{
    ref: 'MP2611260000001', reference: '0001', name_account: 'Witty Growth', identification_number: 'j54637469',
    bank_account: '01340000000000000000', bank: 'Banesco', amount: '20.00', phone: null, email: null, status: 'APPROVED',
  }],
};

export const eventExample = {
  id: 'evt_6f1c0a9e2b7d4c3a8e5f1b2c', type: 'sale.executed', created_at: '2026-11-26 18:26:34', environment: 'sandbox',
  data: {
    id, intent: 'sale', state: 'executed', payer: { payer_info: { id: payer } },
    redirect_urls: { return_url: 'https://shop.example/ok?cart=9', cancel_url: 'https://shop.example/ko?cart=9' },
    total: { currency: { id: 'VES' }, items: 17.5, shipping: 1.2, tax: 1.3, amount: 20 },
    transactions: [{
      id: '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f', amount: { currency: { id: 'VES' }, total: 20 }, description: 'Orden 9', invoice_number: 'F00015',
      related_resources: { sale: { id: '7e8f9a0b-1c2d-4e3f-a4b5-c6d7e8f9a0b1', ref: 'P2611260000001' } },
    }],
    created_at: '2026-11-26 18:20:02', authorized_at: '2026-11-26 18:24:10', executed_at: '2026-11-26 18:26:34', annulled_at: null, canceled_at: null,
  },
};

export const tokenExample = { access_token: 'mXy1…', expires_in: 3600, token_type: 'bearer', scope: 'API', refresh_token: 'Rk9v…' };

/** A Paginator's example around one item. */
export const pageOf = (path: string, item: unknown) => ({
  links: { first: { href: `${base}${path}?page=1&maxPerPage=10` }, self: { href: `${base}${path}?page=1&maxPerPage=10` }, last: { href: `${base}${path}?page=1&maxPerPage=10` } },
  meta: { currentPage: 1, maxPerPage: 10, totalPages: 1, totalResults: 1 },
  data: [item],
});
