import { sql, type Kysely, type Migration } from 'kysely';

// Tables of the wallet's way in and out (top-ups, withdrawals), account recovery and the
// e-mail outbox. Both dialects; only the binary column's type differs.

type Dialect = 'sqlite' | 'postgres';
type AnyDb = Kysely<any>;

export function mailOutbox(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('mail_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.references('users.id'))
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        .addColumn('html_body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('transport', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_by', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint').execute();
      await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('mail_outbox_created').on('mail_outbox').columns(['created_at', 'id']).execute();
      await db.schema.createTable('user_preferences')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull()).execute();
    },
  };
}

/**
 * A message written from now on keeps what renders it (its kind, language and parameters,
 * as JSON) instead of its finished text and HTML, about a tenth of the bytes; it is rendered
 * when it is sent or shown. Older rows keep their bodies and are shown and sent as they are.
 */
export function mailParams(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('mail_outbox').addColumn('params', 'text').execute();
    },
  };
}

export function passwordResets(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('password_resets')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createIndex('password_resets_user').on('password_resets').columns(['user_id', 'created_at']).execute();
    },
  };
}

export function topups(d: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('topup_imports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('rows_json', 'text', (c) => c.notNull())
        .addColumn('row_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('applied_at', 'bigint')
        .addColumn('applied_by', 'text')
        .addColumn('result_json', 'text').execute();
      await db.schema.createTable('topups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('digital_accounts.id'))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('bank_code', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('paid_on', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('entry_id', 'text', (c) => c.references('ledger_entries.id'))
        .addColumn('import_id', 'text', (c) => c.references('topup_imports.id'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text')
        .addCheckConstraint('topup_amount_positive', sql`amount_minor > 0`).execute();
      // bank_reference_credited_once: whoever declared it, a reference is confirmed once.
      await sql`create unique index bank_reference_credited_once on topups (reference) where status = 'confirmed'`.execute(db);
      await db.schema.createIndex('topups_reference').on('topups').column('reference').execute();
      await db.schema.createIndex('topups_status').on('topups').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('topups_user').on('topups').columns(['user_id', 'created_at']).execute();
      await db.schema.createTable('topup_receipts')
        .addColumn('topup_id', 'text', (c) => c.primaryKey().references('topups.id'))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('data', d === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull()).execute();
    },
  };
}

export function withdrawals(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('withdrawal_exports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('operator_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('item_count', 'integer', (c) => c.notNull())
        .addColumn('total_minor', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()).execute();
      await db.schema.createTable('withdrawals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('digital_accounts.id'))
        .addColumn('bank_account', 'text', (c) => c.notNull())
        .addColumn('bank_code', 'text', (c) => c.notNull())
        .addColumn('holder_document', 'text', (c) => c.notNull())
        .addColumn('holder_name', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('fee_minor', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('hold_entry_id', 'text', (c) => c.notNull().references('ledger_entries.id'))
        .addColumn('done_entry_id', 'text', (c) => c.references('ledger_entries.id'))
        .addColumn('export_id', 'text', (c) => c.references('withdrawal_exports.id'))
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('exported_at', 'bigint')
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text')
        // A resubmitted form carries the same one-time nonce: it withdraws once.
        .addUniqueConstraint('withdrawals_once_per_form', ['user_id', 'nonce'])
        .addCheckConstraint('withdrawal_amount_positive', sql`amount_minor > 0 and fee_minor >= 0`).execute();
      await db.schema.createIndex('withdrawals_status').on('withdrawals').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('withdrawals_user').on('withdrawals').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('withdrawals_bank_account').on('withdrawals').column('bank_account').execute();
      await db.schema.alterTable('payout_batches').addColumn('settled_entry_id', 'text').execute();
    },
  };
}
