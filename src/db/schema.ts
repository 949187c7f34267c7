import type { Generated } from 'kysely';

// Times are epoch milliseconds; money is integer minor units; flags are 0/1.
// The same types serve SQLite and PostgreSQL.

export interface SettingsTable { key: string; value: string }

export type UserKind = 'personal' | 'business' | 'operator';
export interface UsersTable {
  id: string;
  kind: UserKind;
  username: string;
  password_hash: string;
  full_name: string;
  business_name: string | null;
  document: string | null;
  phone: string | null;
  email: string | null;
  pin_hash: string | null;
  pin_failed_count: number;
  pin_locked_until: number;
  login_failed_count: number;
  login_locked_until: number;
  status: string;
  affiliation_code: string | null;
  created_at: number;
}

export interface DigitalAccountsTable {
  id: string;
  user_id: string | null;
  handle: string;
  name: string;
  currency: string;
  balance_minor: number;
  allow_negative: number;
  kind: 'wallet' | 'system';
  created_at: number;
}

export interface LedgerEntriesTable {
  id: string;
  ref: string;
  kind: string;
  description: string;
  reverses_entry_id: string | null;
  created_at: number;
}

export interface PostingsTable {
  id: Generated<number>;
  entry_id: string;
  account_id: string;
  amount_minor: number;
  currency: string;
  created_at: number;
}

export interface RefCountersTable { name: string; value: number }

export interface AffiliationCodesTable {
  code: string;
  type: 'regular' | 'commercial';
  status: 'available' | 'used';
  issued_by: string | null;
  used_by: string | null;
  used_at: number | null;
  created_at: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  kind: 'user' | 'operator';
  expires_at: number;
  created_at: number;
}

export interface AppsTable {
  id: string;
  client_id: string;
  secret_hash: string;
  secret_version: number;
  owner_user_id: string;
  name: string;
  description: string;
  home_url: string;
  redirect_uris: string;
  receiving_account_id: string;
  logo_png: Buffer | null;
  ready: number;
  button_enabled: number;
  billing_enabled: number;
  status: 'active' | 'suspended' | 'revoked';
  status_reason: string | null;
  callback_secret: string;
  created_at: number;
  updated_at: number;
  /** The app's webhook endpoint, its signing secret and the types it records, ",a,b," (0046). */
  webhook_url?: string | null;
  webhook_secret?: string | null;
  webhook_events?: string;
  /** A `mpandco listen` session records every event type until then (0046). */
  events_listen_until?: number;
}

export interface AppDistributionAccountsTable {
  app_id: string;
  account_id: string;
  status: 'pending' | 'authorized' | 'refused';
  requested_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

export interface OauthTokensTable {
  token_hash: string;
  kind: 'access' | 'refresh';
  app_id: string;
  user_id: string;
  scope: string;
  family_id: string;
  secret_version: number;
  expires_at: number;
  revoked_at: number | null;
  used_at: number | null;
  created_at: number;
}

export interface OauthCodesTable {
  code_hash: string;
  app_id: string;
  user_id: string;
  redirect_uri: string;
  scope: string;
  code_challenge: string;
  code_challenge_method: string;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

export type IntentState = 'created' | 'authorized' | 'executed' | 'annulled' | 'canceled' | 'rejected';
export interface PaymentIntentsTable {
  id: string;
  app_id: string;
  owner_user_id: string;
  intent: 'sale' | 'request';
  state: IntentState;
  payer_user_id: string | null;
  recipient_user_id: string | null;
  return_url: string;
  cancel_url: string;
  currency: string;
  total_minor: number;
  items_minor: number;
  shipping_minor: number;
  tax_minor: number;
  transactions_json: string;
  created_at: number;
  authorized_at: number | null;
  executed_at: number | null;
  annulled_at: number | null;
  canceled_at: number | null;
  expires_at: number | null;
}

export interface PaymentsTable {
  id: string;
  ref: string;
  intent_id: string | null;
  txn_index: number;
  entry_id: string;
  type: number;
  status: number;
  amount_minor: number;
  currency: string;
  description: string;
  payer_user_id: string;
  source_account_id: string;
  recipient_account_id: string;
  recipient_user_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface CallbacksTable {
  id: string;
  /** Null for a test delivery (0045). */
  intent_id: string | null;
  app_id: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  locked_until: number;
  locked_by: string | null;
  created_at: number;
  delivered_at: number | null;
  /** A test delivery sent from the callback log (0045). */
  test?: number;
  /** Re-sent by the merchant: retries count again from then, and from this many attempts (0045). */
  requeued_at?: number | null;
  requeue_attempts?: number;
}

export interface CallbackAttemptsTable {
  id: Generated<number>;
  callback_id: string;
  intent_id: string;
  uri: string;
  method: string;
  status_code: number | null;
  body: string;
  error: string | null;
  at: number;
  /** dns, timeout, tls, refused, reset, http, blocked or network (0045). */
  error_kind?: string | null;
  /** The retry this attempt scheduled, if any (0045). */
  next_attempt_at?: number | null;
  duration_ms?: number | null;
}

/** Something that happened to an app's objects, and its webhook delivery (0046). */
export interface EventsTable {
  seq: Generated<number>;
  id: string;
  app_id: string;
  /** The account the object belongs to (the token's user when the app acts for others). */
  user_id: string;
  type: string;
  object_id: string;
  data_json: string;
  status: 'none' | 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  locked_until: number;
  locked_by: string | null;
  created_at: number;
  delivered_at: number | null;
  test: number;
  requeued_at: number | null;
  requeue_attempts: number;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  event_id: string;
  url: string;
  status_code: number | null;
  body: string;
  error: string | null;
  error_kind: string | null;
  next_attempt_at: number | null;
  duration_ms: number | null;
  at: number;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  state: 'running' | 'committed' | 'done';
  status_code: number | null;
  response_body: string | null;
  response_headers: string | null;
  created_at: number;
  /** Last sign of life of the request holding a 'running' or 'committed' claim (0008). */
  heartbeat_at?: number | null;
}

/** One route's request count for one client in its current window, shared by every node (0020). */
export interface RateLimitsTable {
  key: string;
  hits: number;
  window_ends_at: number;
}

export interface GoliveRequestsTable {
  id: string;
  app_id: string;
  status: 'pending' | 'approved' | 'refused';
  declaration_json: string;
  reason: string | null;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  /** When the business first opened its going-live page after the decision. */
  seen_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  operator_id: string;
  action: string;
  target_type: string;
  target_id: string;
  reason: string | null;
  details_json: string;
  created_at: number;
}

export interface PayoutBatchesTable {
  id: string;
  ref: string;
  owner_user_id: string;
  app_id: string;
  type: 'DISPERSION' | 'DISPERSION_INSTANT_INTERBANK';
  status: string;
  total_minor: number;
  fee_minor: number;
  item_count: number;
  entry_id: string | null;
  created_at: number;
  submitted_at: number | null;
  /** The entry that paid the batch out to the banks (0014). */
  settled_entry_id?: string | null;
}

export interface PayoutItemsTable {
  id: string;
  batch_id: string;
  ref: string;
  reference: string;
  name_account: string;
  identification_number: string;
  bank_account: string;
  bank_code: string;
  amount_minor: number;
  phone: string | null;
  email: string | null;
  status: string;
  created_at: number;
}

/** Totals of one account's intents per Caracas day, app, kind and final state (days that can no longer change). */
export interface DashboardDailyTable {
  owner_user_id: string;
  day: number;
  app_id: string;
  intent: string;
  state: string;
  n: number;
  total_minor: number;
}

/** Days before until_day are in dashboard_daily for this account. */
export interface DashboardRollupsTable { owner_user_id: string; until_day: number }

/** A business's request about its app that an operator decides: the billing API, a new home URL. */
export interface AppRequestsTable {
  id: string;
  app_id: string;
  kind: 'billing' | 'home_url';
  status: 'pending' | 'approved' | 'refused';
  payload_json: string;
  reason: string | null;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  seen_at: number | null;
}

/** E-mail waiting for, or done with, its delivery: written in the transaction of its event (0011). */
export interface MailOutboxTable {
  id: string;
  kind: string;
  user_id: string | null;
  to_address: string;
  locale: 'es' | 'en';
  subject: string;
  /** The finished text and HTML of messages written before 0060; '' since, rendered from `params`. */
  text_body: string;
  html_body: string;
  /** What renders the message (JSON of its parameters, the greeting's name included), since 0060. */
  params: string | null;
  status: 'pending' | 'sent' | 'failed';
  /** How it left: 'smtp', or 'stored' (kept here and shown, when no SMTP server is set). */
  transport: string | null;
  attempts: number;
  next_attempt_at: number;
  locked_until: number;
  locked_by: string | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

/** A person's choices that are not identity: the language of their e-mail (0011). */
export interface UserPreferencesTable { user_id: string; locale: 'es' | 'en'; updated_at: number }

/** An e-mailed password-reset link, by the hash of its token; good once, for 30 minutes (0012). */
export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

/** A bank transfer or pago móvil a person declares into the platform's bank account (0013). */
export interface TopupsTable {
  id: string;
  user_id: string;
  account_id: string;
  method: 'transfer' | 'mobile';
  bank_code: string;
  /** Digits only, without leading zeros: how statements and declarations are compared. */
  reference: string;
  amount_minor: number;
  /** The day the person paid, YYYY-MM-DD. */
  paid_on: string;
  status: 'pending' | 'confirmed' | 'refused';
  reason: string | null;
  entry_id: string | null;
  import_id: string | null;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

export interface TopupReceiptsTable { topup_id: string; content_type: string; data: Buffer }

/** A bank statement an operator uploaded: its rows, then the outcome of applying it (0013). */
export interface TopupImportsTable {
  id: string;
  operator_id: string;
  file_name: string;
  rows_json: string;
  row_count: number;
  created_at: number;
  applied_at: number | null;
  applied_by: string | null;
  result_json: string | null;
}

/** Money leaving a wallet for a bank account in the person's own name (0014). */
export interface WithdrawalsTable {
  id: string;
  user_id: string;
  account_id: string;
  bank_account: string;
  bank_code: string;
  holder_document: string;
  holder_name: string;
  amount_minor: number;
  fee_minor: number;
  status: 'pending' | 'exported' | 'paid' | 'failed';
  hold_entry_id: string;
  /** The entry that paid it out, or the reversal that returned it. */
  done_entry_id: string | null;
  export_id: string | null;
  nonce: string;
  reason: string | null;
  created_at: number;
  exported_at: number | null;
  decided_at: number | null;
  decided_by: string | null;
}

/** A file of pending withdrawals handed to the bank (0014). */
export interface WithdrawalExportsTable {
  id: string;
  operator_id: string;
  item_count: number;
  total_minor: number;
  created_at: number;
}

/** One API call made with an app's credentials, its secrets redacted (0040). */
export interface RequestLogTable {
  id: Generated<number>;
  app_id: string;
  created_at: number;
  method: string;
  path: string;
  query: string;
  status: number;
  duration_ms: number;
  idempotency_key: string | null;
  request_id: string;
  /** JSON object of the few request headers kept, Authorization redacted. */
  request_headers: string;
  request_body: string | null;
  request_truncated: number;
  response_body: string | null;
  response_truncated: number;
}

/** A business account's sandbox test clock: its intents and payout batches live this far ahead (0050). */
export interface SandboxClocksTable {
  owner_user_id: string;
  offset_ms: number;
  updated_at: number;
}

/** A sandbox person a business made as its test payer, with the credentials its pages show (0051). */
export interface SandboxTestPayersTable {
  user_id: string;
  owner_user_id: string;
  password: string;
  pin: string;
  created_at: number;
}

export interface DB {
  settings: SettingsTable;
  users: UsersTable;
  digital_accounts: DigitalAccountsTable;
  ledger_entries: LedgerEntriesTable;
  postings: PostingsTable;
  ref_counters: RefCountersTable;
  affiliation_codes: AffiliationCodesTable;
  sessions: SessionsTable;
  apps: AppsTable;
  app_distribution_accounts: AppDistributionAccountsTable;
  oauth_tokens: OauthTokensTable;
  oauth_codes: OauthCodesTable;
  payment_intents: PaymentIntentsTable;
  payments: PaymentsTable;
  callbacks: CallbacksTable;
  callback_attempts: CallbackAttemptsTable;
  events: EventsTable;
  webhook_attempts: WebhookAttemptsTable;
  idempotency_keys: IdempotencyKeysTable;
  rate_limits: RateLimitsTable;
  golive_requests: GoliveRequestsTable;
  audit_log: AuditLogTable;
  payout_batches: PayoutBatchesTable;
  payout_items: PayoutItemsTable;
  dashboard_daily: DashboardDailyTable;
  dashboard_rollups: DashboardRollupsTable;
  app_requests: AppRequestsTable;
  mail_outbox: MailOutboxTable;
  user_preferences: UserPreferencesTable;
  password_resets: PasswordResetsTable;
  topups: TopupsTable;
  topup_receipts: TopupReceiptsTable;
  topup_imports: TopupImportsTable;
  withdrawals: WithdrawalsTable;
  withdrawal_exports: WithdrawalExportsTable;
  request_log: RequestLogTable;
  sandbox_clocks: SandboxClocksTable;
  sandbox_test_payers: SandboxTestPayersTable;
}
