import type { Tx } from '../db/store.ts';
import type { AppsTable } from '../db/schema.ts';
import { newId, randomCode, randomSecret, randomToken, sha256 } from '../shared/ids.ts';

export type App = AppsTable;

export interface NewApp {
  ownerUserId: string;
  name: string;
  description: string;
  homeUrl: string;
  receivingAccountId: string;
  redirectUris?: string[];
  logoPng?: Buffer | null;
  /** Sandbox apps are ready and have the billing API at once; production apps wait for an operator. */
  sandbox: boolean;
}

/** Creates an app and returns its secret, which is stored only as a hash and shown once. */
export async function insertApp(tx: Tx, a: NewApp, nowMs: number): Promise<{ app: App; clientSecret: string }> {
  const clientSecret = randomSecret(32);
  const app: App = {
    id: newId(),
    client_id: `${randomCode(6, '0123456789')}_${randomCode(32)}`,
    secret_hash: sha256(clientSecret),
    secret_version: 1,
    owner_user_id: a.ownerUserId,
    name: a.name,
    description: a.description,
    home_url: a.homeUrl,
    redirect_uris: JSON.stringify(a.redirectUris ?? []),
    receiving_account_id: a.receivingAccountId,
    logo_png: a.logoPng ?? null,
    ready: a.sandbox ? 1 : 0,
    button_enabled: 1,
    billing_enabled: a.sandbox ? 1 : 0,
    status: 'active',
    status_reason: null,
    callback_secret: randomToken(24),
    created_at: nowMs,
    updated_at: nowMs,
  };
  await tx.insertInto('apps').values(app).execute();
  return { app, clientSecret };
}

/** A new secret; the old one and every token issued under it stop working. */
export async function rotateSecret(tx: Tx, appId: string, nowMs: number): Promise<string> {
  const clientSecret = randomSecret(32);
  await tx.updateTable('apps')
    .set((eb) => ({ secret_hash: sha256(clientSecret), secret_version: eb('secret_version', '+', 1), updated_at: nowMs }))
    .where('id', '=', appId).execute();
  await tx.updateTable('oauth_tokens').set({ revoked_at: nowMs })
    .where('app_id', '=', appId).where('revoked_at', 'is', null).execute();
  return clientSecret;
}
