import { sql, type Kysely, type Migration } from 'kysely';

// The ledger's rules held by the database itself, so that no code path (a bug, a script,
// an operator at a SQL prompt) can break them: entries and postings are append-only, a
// posting moves a non-zero amount in its account's currency, and on PostgreSQL every
// entry sums to zero when its transaction commits. Each refusal names its invariant.

type AnyDb = Kysely<any>;

async function sqliteRules(db: AnyDb): Promise<void> {
  for (const table of ['ledger_entries', 'postings']) {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
        BEGIN SELECT RAISE(ABORT, 'ledger_is_append_only'); END`).execute(db);
    }
  }
  await sql.raw(`CREATE TRIGGER postings_amount_not_zero BEFORE INSERT ON postings WHEN NEW.amount_minor = 0
    BEGIN SELECT RAISE(ABORT, 'posting_amount_not_zero'); END`).execute(db);
  await sql.raw(`CREATE TRIGGER postings_currency_matches_account BEFORE INSERT ON postings
    WHEN NEW.currency IS NOT (SELECT currency FROM digital_accounts WHERE id = NEW.account_id)
    BEGIN SELECT RAISE(ABORT, 'posting_currency_matches_account'); END`).execute(db);
}

async function postgresRules(db: AnyDb): Promise<void> {
  await sql.raw(`CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'ledger_is_append_only: % on %', TG_OP, TG_TABLE_NAME; END $$`).execute(db);
  for (const table of ['ledger_entries', 'postings']) {
    await sql.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only()`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only()`).execute(db);
  }
  await sql.raw('ALTER TABLE postings ADD CONSTRAINT posting_amount_not_zero CHECK (amount_minor <> 0)').execute(db);
  await sql.raw(`CREATE FUNCTION posting_currency_matches_account() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.currency IS DISTINCT FROM (SELECT currency FROM digital_accounts WHERE id = NEW.account_id) THEN
        RAISE EXCEPTION 'posting_currency_matches_account: %', NEW.account_id;
      END IF;
      RETURN NEW;
    END $$`).execute(db);
  await sql.raw(`CREATE TRIGGER postings_currency_matches_account BEFORE INSERT ON postings
    FOR EACH ROW EXECUTE FUNCTION posting_currency_matches_account()`).execute(db);
  // Checked at COMMIT, once every posting of the entry is in: debits equal credits.
  await sql.raw(`CREATE FUNCTION entry_sums_to_zero() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (SELECT sum(amount_minor) FROM postings WHERE entry_id = NEW.entry_id) <> 0 THEN
        RAISE EXCEPTION 'debits_equal_credits: entry %', NEW.entry_id;
      END IF;
      RETURN NULL;
    END $$`).execute(db);
  await sql.raw(`CREATE CONSTRAINT TRIGGER postings_entry_sums_to_zero AFTER INSERT ON postings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION entry_sums_to_zero()`).execute(db);
}

export function ledgerEnforced(d: 'sqlite' | 'postgres'): Migration {
  return { up: (db: AnyDb) => (d === 'postgres' ? postgresRules(db) : sqliteRules(db)) };
}
