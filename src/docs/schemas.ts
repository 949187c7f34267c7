// Documentation schemas of the merchant API, attached to the routes as they register.
// Validation stays in the services (it must produce the 400 tree of the contract), so the
// app compiles these schemas for documentation only (see registerDocs).

const money = { type: ['number', 'string'], description: 'Amount in VES with at most 2 decimals (sent as string or number)' };
const bearer = [{ bearer: [] as string[] }];
const idem = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', maxLength: 255, description: 'Optional. Same key + same body replays the first response.' } },
};
const apiError = { type: 'object', properties: { code: { type: 'integer' }, message: { type: 'string' } } };
const tree = {
  type: 'object',
  description: 'Validation tree: global errors, then every field under children',
  properties: { code: { const: 400 }, message: { const: 'Validation Failed' }, errors: { type: 'object' } },
};
const errors = {
  400: tree,
  401: { type: 'object', properties: { error: { const: 'invalid_grant' }, error_description: { type: 'string' } } },
  403: apiError, 404: apiError, 503: apiError,
};
const idQuery = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } };
const pageQuery = {
  type: 'object',
  properties: { page: { type: 'integer', minimum: 1 }, maxPerPage: { type: 'integer', minimum: 1, maximum: 100 } },
};

const transaction = {
  type: 'object',
  required: ['amount', 'description'],
  properties: {
    amount: {
      type: 'object', required: ['total'],
      properties: {
        total: money, currency: { type: 'string', default: 'VES' },
        details: { type: 'object', properties: { shipping: money, tax: money, subTotal: money } },
      },
    },
    description: { type: 'string' },
    invoiceNumber: { type: 'string' },
    digitalAccountDestination: { type: 'string', description: "One of the merchant's digital accounts; default: the app's receiving account" },
    items: {
      type: 'array',
      items: { type: 'object', required: ['name', 'price'], properties: { name: { type: 'string' }, price: money, quantity: { type: ['integer', 'string'] }, sku: { type: 'string' }, currency: { type: 'string' } } },
    },
    distributions: {
      type: 'array',
      items: { type: 'object', properties: { digitalAccountDestination: { type: 'string' }, amount: money, description: { type: 'string' } } },
    },
  },
};

const registerItem = {
  tags: ['Mass payouts'], summary: 'Add an item to the pending batch of that type', security: bearer, headers: idem,
  querystring: { type: 'object', properties: { type: { enum: ['DISPERSION', 'DISPERSION_INSTANT_INTERBANK'] } } },
  body: {
    type: 'object',
    properties: {
      multi_payment_item: {
        type: 'object',
        properties: {
          reference: { type: 'string' }, nameAccount: { type: 'string' }, identificationNumber: { type: 'string' },
          bankAccount: { type: 'string', pattern: '^\\d{20}$' }, amount: money, phone: { type: 'string' }, email: { type: 'string' },
        },
      },
    },
  },
  response: errors,
};

export const API_DOCS: Record<string, Record<string, unknown>> = {
  'POST /oauth/v2/token': {
    tags: ['OAuth2'], summary: 'Get an access token',
    description: 'Grants: urn:client_apps (the app acts for its own business account), refresh_token (rotating), authorization_code (PKCE S256). The password grant is not offered.',
    body: {
      type: 'object', required: ['grant_type'],
      properties: {
        grant_type: { enum: ['urn:client_apps', 'refresh_token', 'authorization_code'] }, client_id: { type: 'string' }, client_secret: { type: 'string' },
        refresh_token: { type: 'string' }, code: { type: 'string' }, redirect_uri: { type: 'string' }, code_verifier: { type: 'string' },
      },
    },
    response: {
      200: { type: 'object', properties: { access_token: { type: 'string' }, expires_in: { const: 3600 }, token_type: { const: 'bearer' }, scope: { type: 'string' }, refresh_token: { type: 'string' } } },
      400: { type: 'object', properties: { error: { type: 'string' }, error_description: { type: 'string' } } },
    },
  },
  'GET /oauth/v2/auth': {
    tags: ['OAuth2'], summary: 'Consent page of the authorization-code grant',
    querystring: {
      type: 'object',
      properties: { response_type: { const: 'code' }, client_id: { type: 'string' }, redirect_uri: { type: 'string' }, state: { type: 'string' }, code_challenge: { type: 'string' }, code_challenge_method: { const: 'S256' } },
    },
  },
  'POST /api/payment-intent/.json': {
    tags: ['Payment intents'], summary: 'Create a payment intent (sale: payment button; request: billing API)', security: bearer, headers: idem,
    body: {
      type: 'object', required: ['paymentintent'],
      properties: {
        paymentintent: {
          type: 'object', required: ['intent', 'redirectUrls', 'transactions'],
          properties: {
            intent: { enum: ['sale', 'request'] },
            redirectUrls: { type: 'object', properties: { returnUrl: { type: 'string', format: 'uri' }, cancelUrl: { type: 'string', format: 'uri' } } },
            transactions: { type: 'array', items: transaction },
            recipient: { type: 'string', description: 'request only: username, phone (584120000010) or document (V19123456)' },
          },
        },
      },
    },
    response: errors,
  },
  'GET /api/payment-intent/.json': { tags: ['Payment intents'], summary: "The account's intents, newest first (Paginator)", security: bearer, querystring: pageQuery, response: errors },
  'GET /api/payment-intent/show.json': { tags: ['Payment intents'], summary: 'One intent', security: bearer, querystring: idQuery, response: errors },
  'POST /api/payment-intent/execute/sale.json': {
    tags: ['Payment intents'], summary: 'Execute an authorized sale (moves the money)', security: bearer, headers: idem, querystring: idQuery,
    body: { type: 'object', properties: { payment_execution: { type: 'object', properties: { paymentIntent: { type: 'string' }, payer: { type: 'string' } } } } },
    response: errors,
  },
  'POST /api/payment-intent/execute/request.json': {
    tags: ['Payment intents'], summary: "Execute a billing request with the payer's pay token and PIN", security: bearer, headers: idem, querystring: idQuery,
    body: {
      type: 'object',
      properties: {
        payment_execution: {
          type: 'object',
          properties: {
            payToken: { type: 'string' }, pin: { type: 'string', pattern: '^\\d{4}$' },
            transactions: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, payToken: { type: 'string' } } } },
          },
        },
      },
    },
    response: errors,
  },
  'POST /api/payment-intent/cancel.json': {
    tags: ['Payment intents'], summary: 'Annul an executed intent within 24 hours', security: bearer, headers: idem,
    body: { type: 'object', properties: { cancel_payment_intent: { type: 'object', properties: { paymentIntent: { type: 'string' } } } } },
    response: errors,
  },
  'GET /api/payment/.json': { tags: ['Payments'], summary: "The account's payments (Paginator)", security: bearer, querystring: pageQuery, response: errors },
  'GET /api/payment/find.json': { tags: ['Payments'], summary: 'One payment (status 2000 canceled, 4000 approved, 9000 completed)', security: bearer, querystring: idQuery, response: errors },
  'GET /api/user/profile.json': { tags: ['Profile'], summary: 'The calling account', security: bearer, response: errors },
  'POST /api/multipayment/register-item.json': registerItem,
  'GET /api/multipayment/register-item.json': {
    ...registerItem,
    summary: 'The same as the POST, for the documentation\'s `curl -X GET -d \'{json}\'` example (the body is read as JSON or url-encoded)',
  },
  'GET /api/multipayment/.json': { tags: ['Mass payouts'], summary: "The account's payout batches, newest first (Paginator)", security: bearer, querystring: pageQuery, response: errors },
  'GET /api/multipayment/show.json': { tags: ['Mass payouts'], summary: 'One batch with its items', security: bearer, querystring: idQuery, response: errors },
  'POST /api/multipayment/submit.json': {
    tags: ['Mass payouts'], summary: 'Submit the batch: debits the total plus fees once; instant batches settle at once, DISPERSION 24 h later',
    security: bearer, headers: idem, querystring: idQuery, response: errors,
  },
};

API_DOCS['POST /api/payment-intent/request.json'] = {
  ...API_DOCS['POST /api/payment-intent/.json'],
  summary: 'Create a payment intent: the path the billing documentation names, same as POST /api/payment-intent/.json',
};
