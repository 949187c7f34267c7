import type { Ctx } from '../context.ts';
import { getSetting, setSetting } from '../db/settings.ts';
import { DEMO_SEED_KEY } from '../test-mode/test-payers.ts';
import { createMerchant, createPayer, type MerchantCreds, type PayerCreds } from './demo.ts';

export interface DemoCredentials {
  merchant: MerchantCreds;
  payers: PayerCreds[];
}

const SEED_KEY = DEMO_SEED_KEY;

// The demo accounts of the sandbox. Their secrets are kept in plain text in the sandbox
// store on purpose: the server prints them at every start. Production has no seed.
const DEMO_PASSWORD = 'Sandbox2026';

/** Creates the demo business, its app and two payers once; later starts read them back. */
export async function ensureSandboxSeed(ctx: Ctx): Promise<DemoCredentials | undefined> {
  if (ctx.env !== 'sandbox') return undefined;
  const existing = await getSetting(ctx.store.db, SEED_KEY);
  if (existing) return JSON.parse(existing) as DemoCredentials;
  // Claim the seed first so that two processes starting together seed once.
  const claimed = await ctx.store.autocommit.insertInto('settings').values({ key: `${SEED_KEY}.lock`, value: String(ctx.clock.now()) })
    .onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return waitForSeed(ctx);
  const merchant = await createMerchant(ctx, {
    username: 'demo01', password: DEMO_PASSWORD, pin: '1234', businessName: 'Comercio Demo, C.A.', appName: 'Tienda Demo',
  });
  const maria = await createPayer(ctx, 10_000_00, {
    username: 'maria', password: DEMO_PASSWORD, pin: '1234', phone: '584125550001', document: 'V19123456', fullName: 'Maria Perez',
  });
  const pedro = await createPayer(ctx, 5_000_00, {
    username: 'pedro', password: DEMO_PASSWORD, pin: '1234', phone: '584145550002', document: 'V20123456', fullName: 'Pedro Gomez',
  });
  const creds: DemoCredentials = { merchant, payers: [maria, pedro] };
  await setSetting(ctx.store.autocommit, SEED_KEY, JSON.stringify(creds));
  return creds;
}

async function waitForSeed(ctx: Ctx): Promise<DemoCredentials | undefined> {
  for (let i = 0; i < 100; i++) {
    const v = await getSetting(ctx.store.db, SEED_KEY);
    if (v) return JSON.parse(v) as DemoCredentials;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
