// Every route the SDK calls, in one table: each method names its entry here, so the
// table is exactly what the SDK speaks (test/sdk/coverage.test.ts compares it with the
// server's OpenAPI document).

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** POSTs that create or move something: an Idempotency-Key is sent unless disabled. */
  idempotent?: boolean;
}

export const ROUTES = {
  token: { method: 'POST', path: '/oauth/v2/token' },
  createIntent: { method: 'POST', path: '/api/payment-intent/.json', idempotent: true },
  createRequest: { method: 'POST', path: '/api/payment-intent/request.json', idempotent: true },
  listIntents: { method: 'GET', path: '/api/payment-intent/.json' },
  showIntent: { method: 'GET', path: '/api/payment-intent/show.json' },
  executeSale: { method: 'POST', path: '/api/payment-intent/execute/sale.json', idempotent: true },
  executeRequest: { method: 'POST', path: '/api/payment-intent/execute/request.json', idempotent: true },
  annul: { method: 'POST', path: '/api/payment-intent/cancel.json', idempotent: true },
  listPayments: { method: 'GET', path: '/api/payment/.json' },
  findPayment: { method: 'GET', path: '/api/payment/find.json' },
  registerPayoutItem: { method: 'POST', path: '/api/multipayment/register-item.json', idempotent: true },
  listPayoutBatches: { method: 'GET', path: '/api/multipayment/.json' },
  showPayoutBatch: { method: 'GET', path: '/api/multipayment/show.json' },
  submitPayoutBatch: { method: 'POST', path: '/api/multipayment/submit.json', idempotent: true },
  profile: { method: 'GET', path: '/api/user/profile.json' },
  listEvents: { method: 'GET', path: '/api/event/.json' },
} as const satisfies Record<string, Route>;

/**
 * Routes the server serves for older clients that another route of the table already
 * covers: `GET register-item.json` reads a body (the documentation's `curl -X GET -d`),
 * which `fetch` cannot send; the SDK registers items with the POST.
 */
export const ALIASES: Record<string, string> = {
  'GET /api/multipayment/register-item.json': 'POST /api/multipayment/register-item.json',
};
