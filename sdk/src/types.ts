// The API's documents as they travel. Requests are camelCase, answers snake_case, as the
// server's schemas (src/*/*.schema.ts of the platform) define them. Amounts go out as
// decimal strings ("20.50"; numbers are accepted too) and come back as JSON numbers, except
// in payments and payouts, whose totals are strings with two decimals.

/** An amount in bolívars with at most 2 decimals. Prefer strings: "20.50". */
export type Amount = string | number;

export interface Currency {
  id: string;
  name: string;
  abbreviation: string;
  num: number;
  num_decimals: number;
}

export interface Link<M extends string = string> {
  href: string;
  method: M;
}

export interface Paginator<T> {
  links: { first: { href: string }; self: { href: string }; next?: { href: string }; last: { href: string } };
  meta: { currentPage: number; maxPerPage: number; totalPages: number; totalResults: number };
  data: T[];
}

export interface PageParams {
  /** From 1 (at most 100,000). */
  page?: number;
  /** 1 to 100; the API's default is 10. */
  maxPerPage?: number;
}

// ---- payment intents: what is sent

export interface ItemInput {
  name: string;
  price: Amount;
  quantity?: number | string;
  sku?: string;
  currency?: 'VES';
}

export interface DistributionInput {
  /** A digital account authorized for distributions on this app. */
  digitalAccountDestination: string;
  amount: Amount;
  description: string;
}

export interface TransactionInput {
  amount: {
    total: Amount;
    currency?: 'VES';
    details?: { shipping?: Amount; tax?: Amount; subTotal?: Amount };
  };
  description: string;
  invoiceNumber?: string;
  /** One of the merchant's digital accounts; default: the app's receiving account. */
  digitalAccountDestination?: string;
  items?: ItemInput[];
  distributions?: DistributionInput[];
}

export interface PaymentIntentInput {
  /** `sale`: the payment button. `request`: the billing API (needs `recipient`). */
  intent: 'sale' | 'request';
  redirectUrls: { returnUrl: string; cancelUrl: string };
  transactions: TransactionInput[];
  /** Requests only: the payer, by username, phone (584120000010) or identity document (V19123456). */
  recipient?: string;
}

/** A billing request: a payment intent whose `intent` is `request`. */
export type BillingRequestInput = Omit<PaymentIntentInput, 'intent' | 'recipient'> & { recipient: string };

// ---- payment intents: what comes back

export type PaymentIntentState = 'created' | 'authorized' | 'executed' | 'annulled' | 'canceled' | 'rejected';

export interface PaymentSummary {
  summary_1: string;
  summary_2: string;
  summary_3: string;
  summary_4: string;
  summary_5: string;
  summary_status_color: string;
  username: string | null;
  user_from: string;
  amount: number;
  status: string;
  type_payment_label: string;
  summary_amount: { summary_1: string; summary_2: string };
  created_at: string;
  external_platform: string;
  external_id: string | null;
}

export interface RelatedPayment {
  /** The payment's id (for `payments.find`). */
  id: string;
  /** Its human reference: `P` + yymmdd + a sequence. */
  ref: string;
  _data: PaymentSummary;
}

export interface PayToken {
  /** The recipient's digital account, to pay a request with. */
  id: string;
  _data: { name: string };
}

export interface Payer {
  payer_info: { id: string; _data: { fullname: string } };
}

export interface Transaction {
  id: string;
  amount: { currency: Currency; total: number; details: { shipping: number; tax: number; sub_total: number } };
  items: { name: string; quantity: number; currency: Currency; sku: string | null; price: number }[];
  description: string;
  invoice_number: string | null;
  digital_account_destination: { username: string };
  related_resources?: { sale?: RelatedPayment; request?: RelatedPayment };
  pay_tokens?: PayToken[];
  distributions: { state: string; digital_account_destination: { username: string }; amount: number; description: string }[];
}

export interface PaymentIntent {
  id: string;
  intent: 'sale' | 'request';
  state: PaymentIntentState;
  /** Once a payer is known: after approval of a sale, from creation of a request. */
  payer?: Payer;
  redirect_urls: {
    return_url: string;
    cancel_url: string;
    /** Every call the platform made to these URLs (callbacks). */
    history_responses: { uri: string; method: string; status_code: number | null; body: string }[];
  };
  total: { currency: Currency; items: number; shipping: number; tax: number; amount: number };
  transactions: Transaction[];
  pay_tokens?: PayToken[];
  _links: {
    self: Link<'GET'>;
    execute: Link<'POST'>;
    /** Sales: where to send the customer to approve. */
    approval_url?: Link<'GET'>;
    /** Present while the intent can be annulled. */
    cancel?: Link<'POST'>;
  };
}

// ---- payments

export interface Payment {
  id: string;
  /** `YYYY-MM-DD HH:mm:ss`, Venezuelan time. */
  created_at: string;
  ref: string;
  amount_environment_operation: string;
  amount_total: string;
  /** 2000 canceled (annulled), 4000 approved, 9000 completed. */
  status: 2000 | 4000 | 9000 | number;
  /** 1000 sale, 2000 request. */
  type: 1000 | 2000 | number;
  recipient: string;
  user: { id: string; _data: { fullname: string } };
  payment_methods: {
    created_at: string;
    operation_method: {
      id: string; created_at: string; name: string; description: string; icon: string; item_order: number;
      mode_operation: { id: string; created_at: string; name: string };
      childs: unknown[]; mode_form: string; external_platform: string;
    };
    amount_environment_operation: number;
    amount_total: number;
    item_operations: { created_at: string; description: string; amount: number }[];
  }[];
  digital_account_source: { id: string; created_at: string; name: string };
  _data: PaymentSummary;
}

// ---- payouts

export type PayoutType = 'DISPERSION' | 'DISPERSION_INSTANT_INTERBANK';

export interface PayoutItemInput {
  reference: string;
  nameAccount: string;
  identificationNumber: string;
  /** 20 digits; the first 4 name the bank. */
  bankAccount: string;
  amount: Amount;
  phone?: string;
  email?: string;
}

export interface RegisteredPayoutItem {
  ref: string;
  identification_number: string;
  status: 'APPROVED';
}

export interface PayoutBatch {
  id: string;
  ref: string;
  type: PayoutType | (string & {});
  status: 'PENDING_LOAD' | 'PROCESSING' | 'SETTLED' | (string & {});
  item_count: number;
  amount_total: string;
  fee_total: string;
  debit_total: string;
  created_at: string;
  submitted_at: string | null;
}

export interface PayoutBatchWithItems extends PayoutBatch {
  items: {
    ref: string; reference: string; name_account: string; identification_number: string; bank_account: string;
    bank: string; amount: string; phone: string | null; email: string | null; status: string;
  }[];
}

// ---- profile

export interface Profile {
  id: string;
  username: string;
  full_name: string;
  business_name: string | null;
  identity_document: string | null;
  phone: string | null;
  email: string | null;
  type: 'personal' | 'business';
  digital_accounts: { id: string; username: string; name: string; currency: Currency; balance: number }[];
}

// ---- OAuth

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'bearer';
  scope: string;
  refresh_token?: string;
}
