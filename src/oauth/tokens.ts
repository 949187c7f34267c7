import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Tx } from '../db/store.ts';
import { newId, randomToken, sha256 } from '../shared/ids.ts';

export interface TokenPair {
  access_token: string;
  expires_in: number;
  token_type: 'bearer';
  scope: string;
  refresh_token: string;
}

export interface IssueInput {
  appId: string;
  userId: string;
  scope?: string;
  /** Refresh tokens of one family descend from one grant; reuse of a rotated one revokes the family. */
  familyId?: string;
  secretVersion: number;
  nowMs: number;
  accessTtlSec: number;
  refreshIdleSec: number;
}

/** Issues an access token and a refresh token; only their hashes are stored. */
export async function issueTokens(db: Kysely<DB> | Tx, input: IssueInput): Promise<TokenPair> {
  const access = randomToken(32);
  const refresh = randomToken(32);
  const scope = input.scope ?? 'API';
  const familyId = input.familyId ?? newId();
  const base = {
    app_id: input.appId, user_id: input.userId, scope, family_id: familyId, secret_version: input.secretVersion,
    revoked_at: null, used_at: null, created_at: input.nowMs,
  };
  await db.insertInto('oauth_tokens').values([
    { ...base, token_hash: sha256(access), kind: 'access', expires_at: input.nowMs + input.accessTtlSec * 1000 },
    { ...base, token_hash: sha256(refresh), kind: 'refresh', expires_at: input.nowMs + input.refreshIdleSec * 1000 },
  ]).execute();
  return { access_token: access, expires_in: input.accessTtlSec, token_type: 'bearer', scope, refresh_token: refresh };
}

export async function revokeFamily(db: Kysely<DB> | Tx, familyId: string, nowMs: number): Promise<void> {
  await db.updateTable('oauth_tokens').set({ revoked_at: nowMs })
    .where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}

export async function revokeAppTokens(db: Kysely<DB> | Tx, appId: string, nowMs: number): Promise<void> {
  await db.updateTable('oauth_tokens').set({ revoked_at: nowMs })
    .where('app_id', '=', appId).where('revoked_at', 'is', null).execute();
}
