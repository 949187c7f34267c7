import type { ReadDb, Tx } from '../db/store.ts';

// The sandbox's test payers, with the credentials its pages show: the demo people seeded at
// the first start (everyone's) and those a business made for itself (its own only). Their
// secrets are kept in plain text on purpose, in the sandbox store alone.

type Db = ReadDb | Tx;

/** The settings key of the demo accounts the sandbox seeds once (src/sandbox/seed.ts). */
export const DEMO_SEED_KEY = 'sandbox.demo';

export interface TestPayer {
  userId: string;
  username: string;
  password: string;
  pin: string;
  fullName: string;
  document: string | null;
  phone: string | null;
  handle: string | null;
  balanceMinor: number;
  /** PIN locked until this moment (0: not locked). */
  pinLockedUntil: number;
  pinFailedCount: number;
  /** A demo payer of the whole sandbox, rather than one of this business's own. */
  shared: boolean;
}

interface Creds { userId: string; password: string; pin: string; shared: boolean }

async function seededCreds(db: Db): Promise<Creds[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', DEMO_SEED_KEY).executeTakeFirst();
  if (!row) return [];
  try {
    const seed = JSON.parse(row.value) as { payers?: { payer_id: string; password: string; pin: string }[] };
    return (seed.payers ?? []).map((p) => ({ userId: p.payer_id, password: p.password, pin: p.pin, shared: true }));
  } catch {
    return [];
  }
}

/**
 * The test payers a business may use: the sandbox's demo payers, then its own, oldest first
 * (without a business: the demo payers alone). Sandbox stores only; callers check the environment.
 */
export async function listTestPayers(db: Db, ownerUserId?: string): Promise<TestPayer[]> {
  const own = ownerUserId
    ? (await db.selectFrom('sandbox_test_payers').select(['user_id', 'password', 'pin'])
      .where('owner_user_id', '=', ownerUserId).orderBy('created_at').orderBy('user_id').limit(50).execute())
      .map((r) => ({ userId: r.user_id, password: r.password, pin: r.pin, shared: false }))
    : [];
  const creds = [...(await seededCreds(db)), ...own];
  if (creds.length === 0) return [];
  const users = await db.selectFrom('users as u')
    .leftJoin('digital_accounts as a', (j) => j.onRef('a.user_id', '=', 'u.id').on('a.kind', '=', 'wallet'))
    .select(['u.id', 'u.username', 'u.full_name', 'u.document', 'u.phone', 'u.pin_locked_until', 'u.pin_failed_count', 'a.handle', 'a.balance_minor'])
    .where('u.id', 'in', creds.map((c) => c.userId)).where('u.status', '=', 'active')
    .orderBy('a.created_at').execute();
  const byId = new Map<string, (typeof users)[number]>();
  for (const u of users) if (!byId.has(u.id)) byId.set(u.id, u);
  return creds.flatMap((c) => {
    const u = byId.get(c.userId);
    return u ? [{
      userId: u.id, username: u.username, password: c.password, pin: c.pin, fullName: u.full_name, document: u.document, phone: u.phone,
      handle: u.handle ?? null, balanceMinor: Number(u.balance_minor ?? 0), pinLockedUntil: Number(u.pin_locked_until),
      pinFailedCount: Number(u.pin_failed_count), shared: c.shared,
    }] : [];
  });
}

/** Records a person a business just made as its test payer, in the transaction that made them. */
export async function recordTestPayer(tx: Tx, p: { userId: string; ownerUserId: string; password: string; pin: string; nowMs: number }): Promise<void> {
  await tx.insertInto('sandbox_test_payers').values({
    user_id: p.userId, owner_user_id: p.ownerUserId, password: p.password, pin: p.pin, created_at: p.nowMs,
  }).execute();
}
