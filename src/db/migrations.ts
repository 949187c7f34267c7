import { sql, type Kysely, type Migration, type CreateTableBuilder } from 'kysely';
import { ledgerEnforced } from './ledger-rules.migration.ts';
import { rateLimits } from './rate-limits.migration.ts';
import { refBlocks, refSequence } from './ref-sequence.migration.ts';
import { sandboxClocks, sandboxTestPayers } from './sandbox.migration.ts';
import { requestLog, requestLogOwnFile } from './request-log.migration.ts';
import { mailOutbox, mailParams, passwordResets, topups, withdrawals } from './wallet.migration.ts';
import { callbackLog, webhooks } from './webhooks.migration.ts';

// One list of migrations for both dialects. Only column types differ, chosen here.
type Dialect = 'sqlite' | 'postgres';
type AnyDb = Kysely<any>;

function types(d: Dialect) {
  return {
    serial: d === 'postgres' ? ('bigserial' as const) : ('integer' as const),
    blob: d === 'postgres' ? ('bytea' as const) : ('blob' as const),
  };
}

function serialId(d: Dialect) {
  return (tb: CreateTableBuilder<string, never>) =>
    d === 'postgres'
      ? tb.addColumn('id', 'bigserial', (c) => c.primaryKey())
      : tb.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

function initial(d: Dialect): Migration {
  const ty = types(d);
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull()).execute();

      await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('full_name', 'text', (c) => c.notNull())
        .addColumn('business_name', 'text')
        .addColumn('document', 'text', (c) => c.unique())
        .addColumn('phone', 'text', (c) => c.unique())
        .addColumn('email', 'text')
        .addColumn('pin_hash', 'text')
        .addColumn('pin_failed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pin_locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('login_failed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('login_locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('affiliation_code', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();

      await db.schema.createTable('digital_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.references('users.id'))
        .addColumn('handle', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('balance_minor', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('allow_negative', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('balance_must_not_go_negative', sql`allow_negative = 1 or balance_minor >= 0`).execute();
      await db.schema.createIndex('digital_accounts_user').on('digital_accounts').column('user_id').execute();

      await db.schema.createTable('ledger_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ref', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        // One reversal per entry at most: execute_at_most_once for corrections.
        .addColumn('reverses_entry_id', 'text', (c) => c.unique().references('ledger_entries.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();

      await serialId(d)(db.schema.createTable('postings') as CreateTableBuilder<string, never>)
        .addColumn('entry_id', 'text', (c) => c.notNull().references('ledger_entries.id'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('digital_accounts.id'))
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('postings_entry').on('postings').column('entry_id').execute();
      await db.schema.createIndex('postings_account').on('postings').columns(['account_id', 'id']).execute();

      await db.schema.createTable('ref_counters')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull()).execute();

      await db.schema.createTable('affiliation_codes')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('issued_by', 'text')
        .addColumn('used_by', 'text')
        .addColumn('used_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();

      await db.schema.createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();

      await db.schema.createTable('apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('secret_version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('home_url', 'text', (c) => c.notNull())
        .addColumn('redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('receiving_account_id', 'text', (c) => c.notNull().references('digital_accounts.id'))
        .addColumn('logo_png', ty.blob)
        .addColumn('ready', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('button_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('billing_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('status_reason', 'text')
        .addColumn('callback_secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('apps_owner').on('apps').column('owner_user_id').execute();

      await db.schema.createTable('app_distribution_accounts')
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('digital_accounts.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text')
        .addPrimaryKeyConstraint('app_distribution_accounts_pk', ['app_id', 'account_id']).execute();

      await db.schema.createTable('oauth_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('secret_version', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('used_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('oauth_tokens_family').on('oauth_tokens').column('family_id').execute();
      await db.schema.createIndex('oauth_tokens_app').on('oauth_tokens').column('app_id').execute();

      await db.schema.createTable('oauth_codes')
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('code_challenge', 'text', (c) => c.notNull())
        .addColumn('code_challenge_method', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();

      await db.schema.createTable('payment_intents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('intent', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('payer_user_id', 'text', (c) => c.references('users.id'))
        .addColumn('recipient_user_id', 'text', (c) => c.references('users.id'))
        .addColumn('return_url', 'text', (c) => c.notNull())
        .addColumn('cancel_url', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('total_minor', 'bigint', (c) => c.notNull())
        .addColumn('items_minor', 'bigint', (c) => c.notNull())
        .addColumn('shipping_minor', 'bigint', (c) => c.notNull())
        .addColumn('tax_minor', 'bigint', (c) => c.notNull())
        .addColumn('transactions_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('approved_at', 'bigint')
        .addColumn('executed_at', 'bigint')
        .addColumn('annulled_at', 'bigint')
        .addColumn('canceled_at', 'bigint')
        .addColumn('expires_at', 'bigint').execute();
      await db.schema.createIndex('payment_intents_owner').on('payment_intents').columns(['owner_user_id', 'created_at']).execute();
      await db.schema.createIndex('payment_intents_recipient').on('payment_intents').columns(['recipient_user_id', 'state']).execute();

      await db.schema.createTable('payments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ref', 'text', (c) => c.notNull().unique())
        .addColumn('intent_id', 'text', (c) => c.references('payment_intents.id'))
        .addColumn('txn_index', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('entry_id', 'text', (c) => c.notNull().references('ledger_entries.id'))
        .addColumn('type', 'integer', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('payer_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('source_account_id', 'text', (c) => c.notNull().references('digital_accounts.id'))
        .addColumn('recipient_account_id', 'text', (c) => c.notNull().references('digital_accounts.id'))
        .addColumn('recipient_user_id', 'text', (c) => c.references('users.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        // A transaction of an intent is paid at most once: execute_at_most_once.
        .addUniqueConstraint('payments_execute_at_most_once', ['intent_id', 'txn_index']).execute();
      await db.schema.createIndex('payments_payer').on('payments').columns(['payer_user_id', 'created_at']).execute();
      await db.schema.createIndex('payments_recipient').on('payments').columns(['recipient_user_id', 'created_at']).execute();

      await db.schema.createTable('callbacks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('intent_id', 'text', (c) => c.notNull().references('payment_intents.id'))
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint').execute();
      await db.schema.createIndex('callbacks_due').on('callbacks').columns(['status', 'next_attempt_at']).execute();

      await serialId(d)(db.schema.createTable('callback_attempts') as CreateTableBuilder<string, never>)
        .addColumn('callback_id', 'text', (c) => c.notNull().references('callbacks.id'))
        .addColumn('intent_id', 'text', (c) => c.notNull())
        .addColumn('uri', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('callback_attempts_intent').on('callback_attempts').columns(['intent_id', 'id']).execute();

      await db.schema.createTable('idempotency_keys')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('response_headers', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key']).execute();

      await db.schema.createTable('golive_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('declaration_json', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text').execute();

      await serialId(d)(db.schema.createTable('audit_log') as CreateTableBuilder<string, never>)
        .addColumn('operator_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('details_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();

      await db.schema.createTable('payout_batches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ref', 'text', (c) => c.notNull().unique())
        .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('total_minor', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('fee_minor', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('entry_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('submitted_at', 'bigint').execute();

      await db.schema.createTable('payout_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('batch_id', 'text', (c) => c.notNull().references('payout_batches.id'))
        .addColumn('ref', 'text', (c) => c.notNull().unique())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('name_account', 'text', (c) => c.notNull())
        .addColumn('identification_number', 'text', (c) => c.notNull())
        .addColumn('bank_account', 'text', (c) => c.notNull())
        .addColumn('bank_code', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('phone', 'text')
        .addColumn('email', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
    },
  };
}

// The audit log only grows: the store itself refuses to change or delete its rows.
function auditAppendOnly(d: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      if (d === 'postgres') {
        await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit_log is append-only'; end $$`.execute(db);
        await sql`create trigger audit_log_append_only before update or delete on audit_log
          for each row execute function audit_log_append_only()`.execute(db);
      } else {
        for (const op of ['update', 'delete']) {
          await sql.raw(`create trigger audit_log_no_${op} before ${op} on audit_log
            begin select raise(abort, 'audit_log is append-only'); end`).execute(db);
        }
      }
      await db.schema.createIndex('golive_requests_app').on('golive_requests').columns(['app_id', 'created_at']).execute();
    },
  };
}

/** One batch "pending to load" per account and type, also under concurrent requests. */
function payoutsPendingBatch(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createIndex('payout_batches_one_pending').on('payout_batches')
        .columns(['owner_user_id', 'type']).unique().where(sql.ref('status'), '=', 'PENDING_LOAD').execute();
      await db.schema.createIndex('payout_items_batch').on('payout_items').columns(['batch_id', 'created_at']).execute();
    },
  };
}

/** A person's grants are listed (and withdrawn) by user: the tokens need an index on it. */
function oauthTokensByUser(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createIndex('oauth_tokens_user_app').on('oauth_tokens').columns(['user_id', 'app_id']).execute();
    },
  };
}

/**
 * A person who removes an app's access also marks the codes of that pair revoked, used or
 * not: an exchange that had already redeemed one then issues nothing.
 */
function oauthCodesRevoked(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('oauth_codes').addColumn('revoked_at', 'bigint').execute();
      await db.schema.createIndex('oauth_codes_user_app').on('oauth_codes').columns(['user_id', 'app_id']).execute();
    },
  };
}

/** The business is shown each decision on its going-live request until it has seen it. */
function goliveDecisionSeen(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('golive_requests').addColumn('seen_at', 'bigint').execute();
    },
  };
}

/**
 * The original platform calls a sale the payer approved `authorized` (the PHP SDK's
 * STATE_AUTHORIZED): rename the stored state and its timestamp column to match.
 */
function intentStateAuthorized(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('payment_intents').renameColumn('approved_at', 'authorized_at').execute();
      await db.updateTable('payment_intents').set({ state: 'authorized' }).where('state', '=', 'approved').execute();
    },
  };
}

/** The first transaction's invoice number: the merchant's own reference, found by the dashboard. */
export function invoiceNumberSql(d: Dialect): string {
  return d === 'postgres' ? `((transactions_json::jsonb) -> 0 ->> 'invoiceNumber')` : `json_extract(transactions_json, '$[0].invoiceNumber')`;
}

/**
 * The merchant dashboard: keyset indexes for each filter of an account's intents (the old
 * owner index is a prefix of the new one), the daily totals of days that can no longer
 * change, and the merchants' requests an operator decides (billing API, home-URL change).
 */
function dashboard(d: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.dropIndex('payment_intents_owner').execute();
      const intents = (name: string, cols: string[]) => db.schema.createIndex(name).on('payment_intents').columns(cols).execute();
      await intents('payment_intents_owner_keyset', ['owner_user_id', 'created_at', 'id']);
      await intents('payment_intents_owner_state', ['owner_user_id', 'state', 'created_at', 'id']);
      await intents('payment_intents_owner_app', ['owner_user_id', 'app_id', 'created_at', 'id']);
      await intents('payment_intents_owner_payer', ['owner_user_id', 'payer_user_id', 'created_at', 'id']);
      await intents('payment_intents_owner_total', ['owner_user_id', 'total_minor', 'created_at', 'id']);
      await sql.raw(`create index payment_intents_owner_invoice on payment_intents (owner_user_id, ${invoiceNumberSql(d)})`).execute(db);
      await db.schema.createIndex('payout_batches_owner').on('payout_batches').columns(['owner_user_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('payout_items_reference').on('payout_items').columns(['reference']).execute();
      await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_id', 'id']).execute();

      await db.schema.createTable('dashboard_daily')
        .addColumn('owner_user_id', 'text', (c) => c.notNull())
        .addColumn('day', 'integer', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('intent', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addColumn('total_minor', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('dashboard_daily_pk', ['owner_user_id', 'day', 'app_id', 'intent', 'state']).execute();
      await db.schema.createTable('dashboard_rollups')
        .addColumn('owner_user_id', 'text', (c) => c.primaryKey())
        .addColumn('until_day', 'integer', (c) => c.notNull()).execute();

      await db.schema.createTable('app_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text')
        .addColumn('seen_at', 'bigint').execute();
      await db.schema.createIndex('app_requests_app').on('app_requests').columns(['app_id', 'created_at']).execute();
      await db.schema.createIndex('app_requests_status').on('app_requests').columns(['status', 'created_at']).execute();
      // One open request of each kind per app, also when two arrive at once.
      await db.schema.createIndex('app_requests_one_pending').on('app_requests')
        .columns(['app_id', 'kind']).unique().where(sql.ref('status'), '=', 'pending').execute();
    },
  };
}

/** A request holding an Idempotency-Key shows it is alive, so a crashed one's claim lapses in seconds. */
function idempotencyHeartbeat(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('idempotency_keys').addColumn('heartbeat_at', 'bigint').execute();
    },
  };
}

/** Later migrations append here, each a function of the dialect. */
const MIGRATIONS: [string, (d: Dialect) => Migration][] = [
  ['0001_initial', initial],
  ['0002_backoffice_audit_append_only', auditAppendOnly],
  ['0003_payouts_pending_batch', payoutsPendingBatch],
  ['0004_oauth_tokens_by_user', oauthTokensByUser],
  ['0005_oauth_codes_revoked', oauthCodesRevoked],
  ['0006_golive_decision_seen', goliveDecisionSeen],
  ['0007_intent_state_authorized', intentStateAuthorized],
  ['0008_idempotency_heartbeat', idempotencyHeartbeat],
  ['0009_dashboard', dashboard],
  ['0010_ledger_enforced', ledgerEnforced],
  ['0011_mail_outbox', mailOutbox],
  ['0012_password_resets', passwordResets],
  ['0013_topups', topups],
  ['0014_withdrawals', withdrawals],
  ['0020_rate_limits', rateLimits],
  ['0030_ref_sequence', refSequence],
  ['0040_request_log', requestLog],
  ['0045_callback_log', callbackLog],
  ['0046_webhooks', webhooks],
  ['0050_sandbox_clocks', sandboxClocks],
  ['0051_sandbox_test_payers', sandboxTestPayers],
  ['0055_ref_blocks', refBlocks],
  ['0060_mail_params', mailParams],
  ['0061_request_log_own_file', requestLogOwnFile],
];

type MigrationStore = {
  dialect: Dialect;
  db: Kysely<any>;
  tx<T>(fn: (tx: Kysely<any>) => Promise<T>): Promise<T>;
};

/**
 * Applies the pending migrations in order, each recorded in `mpandco_migrations`, all in
 * one transaction. It reads only its own table (no catalog-wide look-up), and several
 * processes starting together take turns: BEGIN IMMEDIATE on SQLite, an advisory lock
 * per schema on PostgreSQL.
 */
export async function runMigrations(store: MigrationStore): Promise<string[]> {
  try {
    await store.db.schema.createTable('mpandco_migrations').ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull()).execute();
  } catch (e) {
    // Two PostgreSQL sessions creating it at once: the loser sees the winner's table, or
    // its row type ("type … already exists", 42710), depending on where the race falls.
    if (!['23505', '42P07', '42710'].includes((e as { code?: string }).code ?? '')) throw e;
  }
  return store.tx(async (tx) => {
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(current_schema()))`.execute(tx);
    const done = new Set((await tx.selectFrom('mpandco_migrations').select('name').execute()).map((r) => r.name as string));
    const legacy = done.size === 0 ? await legacyApplied(tx, store.dialect) : [];
    for (const name of legacy) done.add(name);
    const applied: string[] = [];
    for (const [name, make] of MIGRATIONS) {
      if (done.has(name)) continue;
      await make(store.dialect).up(tx);
      applied.push(name);
    }
    for (const name of [...legacy, ...applied]) {
      await tx.insertInto('mpandco_migrations').values({ name, applied_at: Date.now() })
        .onConflict((oc) => oc.column('name').doNothing()).execute();
    }
    return applied;
  });
}

/** Stores made before this migrator kept their record in Kysely's `kysely_migration` table. */
async function legacyApplied(tx: Kysely<any>, d: Dialect): Promise<string[]> {
  const exists = d === 'postgres'
    ? (await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(tx)).rows[0]?.t
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(tx)).rows[0];
  if (!exists) return [];
  return (await sql<{ name: string }>`select name from kysely_migration`.execute(tx)).rows.map((r) => r.name);
}
