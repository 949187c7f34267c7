import type { OauthCodesTable } from '../db/schema.ts';
import { forUpdate, type Tx, type ReadDb, type Writer } from '../db/store.ts';
import { prepared } from '../db/prepared.ts';

type Db = ReadDb;

export interface ClientRow {
  id: string;
  client_id: string;
  secret_hash: string;
  secret_version: number;
  owner_user_id: string;
  name: string;
  description: string;
  home_url: string;
  redirect_uris: string;
  status: 'active' | 'suspended' | 'revoked';
  owner_status: string;
  has_logo: number;
}

// Every token request runs this look-up: prepared once (building it cost more than running it).
const clientById = prepared((db, clientId: string) => db.selectFrom('apps as a')
  .innerJoin('users as u', 'u.id', 'a.owner_user_id')
  .select((eb) => [
    'a.id', 'a.client_id', 'a.secret_hash', 'a.secret_version', 'a.owner_user_id', 'a.name', 'a.description',
    'a.home_url', 'a.redirect_uris', 'a.status', 'u.status as owner_status',
    eb.case().when('a.logo_png', 'is not', null).then(1).else(0).end().as('has_logo'),
  ])
  .where('a.client_id', '=', clientId));

/** One query for everything the token endpoint and the consent page need to know about a client. */
export async function findClient(db: Db, clientId: string): Promise<ClientRow | undefined> {
  return (await clientById(db, clientId))[0] as ClientRow | undefined;
}

export interface RefreshRow {
  kind: 'access' | 'refresh';
  app_id: string;
  user_id: string;
  family_id: string;
  secret_version: number;
  expires_at: number;
  revoked_at: number | null;
  used_at: number | null;
  app_secret_version: number;
  user_status: string;
}

const tokenByHash = prepared((db, tokenHash: string) => db.selectFrom('oauth_tokens as t')
  .innerJoin('apps as a', 'a.id', 't.app_id')
  .innerJoin('users as u', 'u.id', 't.user_id')
  .select([
    't.kind', 't.app_id', 't.user_id', 't.family_id', 't.secret_version', 't.expires_at', 't.revoked_at', 't.used_at',
    'a.secret_version as app_secret_version', 'u.status as user_status',
  ])
  .where('t.token_hash', '=', tokenHash));

export async function findToken(db: Db, tokenHash: string): Promise<RefreshRow | undefined> {
  return (await tokenByHash(db, tokenHash))[0];
}

/** Marks a refresh token used; false when it was already used or revoked (a concurrent rotation lost). */
export async function markRefreshUsed(db: Writer, tokenHash: string, nowMs: number): Promise<boolean> {
  const r = await db.updateTable('oauth_tokens').set({ used_at: nowMs })
    .where('token_hash', '=', tokenHash).where('kind', '=', 'refresh')
    .where('used_at', 'is', null).where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertCode(db: Writer, row: OauthCodesTable): Promise<void> {
  await db.insertInto('oauth_codes').values(row).execute();
}

export async function findCode(db: Db, codeHash: string) {
  return db.selectFrom('oauth_codes as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select([
      'c.code_hash', 'c.app_id', 'c.user_id', 'c.redirect_uri', 'c.scope', 'c.code_challenge', 'c.code_challenge_method',
      'c.expires_at', 'c.used_at', 'u.status as user_status',
    ])
    .where('c.code_hash', '=', codeHash)
    .executeTakeFirst();
}

/** Single use: only the first caller marks the code used. */
export async function markCodeUsed(db: Writer, codeHash: string, nowMs: number): Promise<boolean> {
  const r = await db.updateTable('oauth_codes').set({ used_at: nowMs })
    .where('code_hash', '=', codeHash).where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Locks the person's row (PostgreSQL; SQLite's single writer already serializes): removing an
 * app's access and saving the tokens of an exchange for the same person then run one after
 * the other, so that neither misses the other.
 */
export async function lockPerson(tx: Tx, userId: string): Promise<void> {
  await forUpdate(tx, tx.selectFrom('users').select('id').where('id', '=', userId)).execute();
}

/** Whether the code or refresh token an exchange started from has been revoked since. */
export async function grantSourceRevoked(tx: Tx, source: { codeHash?: string; refreshHash?: string }): Promise<boolean> {
  if (source.codeHash) {
    const row = await tx.selectFrom('oauth_codes').select('revoked_at').where('code_hash', '=', source.codeHash).executeTakeFirst();
    return !row || row.revoked_at !== null;
  }
  if (source.refreshHash) {
    const row = await tx.selectFrom('oauth_tokens').select('revoked_at').where('token_hash', '=', source.refreshHash).executeTakeFirst();
    return !row || row.revoked_at !== null;
  }
  return false;
}
