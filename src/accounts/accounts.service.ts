import { sql } from 'kysely';
import type { UserKind, UsersTable } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';
import { isUniqueViolation, type Tx, type ReadDb , type AutoCommit } from '../db/store.ts';
import { FormErrors } from '../shared/form.ts';
import { newId } from '../shared/ids.ts';
import { CURRENCY } from '../shared/money.ts';
import { MINUTE_MS } from '../shared/clock.ts';
import { ValidationError } from '../shared/errors.ts';
import { isMagicWrongPin } from '../test-mode/magic-values.ts';
import { hashSecret, verifySecret, dummyHash } from './secrets.ts';
import {
  isDocument, isEmail, isPhone, isPin, isStrongPassword, isUsername, normalizeDocument, normalizePhone, normalizeUsername,
} from './validation.ts';

export type User = UsersTable;

export interface NewUserInput {
  kind: UserKind;
  username: string;
  password: string;
  fullName: string;
  businessName?: string;
  document?: string;
  phone?: string;
  email?: string;
  pin?: string;
  handle?: string;
  affiliationCode?: string;
}

export interface CheckedUser {
  kind: UserKind;
  username: string;
  fullName: string;
  businessName: string | null;
  document: string | null;
  phone: string | null;
  email: string | null;
  handle: string;
  passwordHash: string;
  pinHash: string | null;
  affiliationCode: string | null;
}

export const USER_FORM_SHAPE = {
  username: null, password: null, fullName: null, businessName: null, document: null, phone: null, email: null, pin: null,
} as const;

/** Validates and hashes outside any transaction (hashing is slow on purpose). */
export async function checkNewUser(input: NewUserInput, errors = new FormErrors()): Promise<CheckedUser> {
  const username = normalizeUsername(input.username ?? '');
  if (!isUsername(username)) errors.add(['username'], 'account.username_invalid');
  if (!isStrongPassword(input.password ?? '')) errors.add(['password'], 'account.password_weak');
  const fullName = (input.fullName ?? '').trim().replace(/\s+/g, ' ');
  if (fullName.length < 3 || fullName.length > 120) errors.add(['fullName'], 'account.name_invalid');
  const businessName = input.businessName?.trim() || null;
  if (input.kind === 'business' && (!businessName || businessName.length > 120)) errors.add(['businessName'], 'account.name_invalid');
  const needsIdentity = input.kind !== 'operator';
  const document = input.document ? normalizeDocument(input.document) : null;
  if (needsIdentity && (!document || !isDocument(document, input.kind === 'business' ? 'business' : 'personal'))) {
    errors.add(['document'], 'account.document_invalid');
  }
  const phone = input.phone ? normalizePhone(input.phone) : null;
  if (needsIdentity && (!phone || !isPhone(phone))) errors.add(['phone'], 'account.phone_invalid');
  const email = input.email?.trim().toLowerCase() || null;
  if (needsIdentity && (!email || !isEmail(email))) errors.add(['email'], 'account.email_invalid');
  if (needsIdentity && !isPin(input.pin ?? '')) errors.add(['pin'], 'account.pin_invalid');
  const handle = normalizeUsername(input.handle ?? username);
  if (!isUsername(handle)) errors.add(['handle'], 'account.username_invalid');
  errors.throwIfAny({ ...USER_FORM_SHAPE });
  const [passwordHash, pinHash] = await Promise.all([
    hashSecret(input.password),
    needsIdentity ? hashSecret(input.pin!, 'pin') : Promise.resolve(null),
  ]);
  return {
    kind: input.kind, username, fullName, businessName, document, phone, email, handle, passwordHash, pinHash,
    affiliationCode: input.affiliationCode ?? null,
  };
}

/** Inserts the user and its first digital account; duplicates become field errors. */
export async function insertUser(tx: Tx, u: CheckedUser, nowMs: number): Promise<{ user: User; accountId: string }> {
  const errors = new FormErrors();
  const clash = await tx.selectFrom('users').select(['username', 'document', 'phone'])
    .where((eb) => eb.or([
      eb('username', '=', u.username),
      ...(u.document ? [eb('document', '=', u.document)] : []),
      ...(u.phone ? [eb('phone', '=', u.phone)] : []),
    ])).execute();
  for (const c of clash) {
    if (c.username === u.username) errors.add(['username'], 'account.username_taken');
    if (u.document && c.document === u.document) errors.add(['document'], 'account.document_taken');
    if (u.phone && c.phone === u.phone) errors.add(['phone'], 'account.phone_taken');
  }
  if (u.kind !== 'operator') {
    const h = await tx.selectFrom('digital_accounts').select('id').where('handle', '=', u.handle).executeTakeFirst();
    if (h) errors.add(['username'], 'account.handle_taken');
  }
  errors.throwIfAny({ ...USER_FORM_SHAPE });
  const user: User = {
    id: newId(), kind: u.kind, username: u.username, password_hash: u.passwordHash, full_name: u.fullName,
    business_name: u.businessName, document: u.document, phone: u.phone, email: u.email, pin_hash: u.pinHash,
    pin_failed_count: 0, pin_locked_until: 0, login_failed_count: 0, login_locked_until: 0, status: 'active',
    affiliation_code: u.affiliationCode, created_at: nowMs,
  };
  try {
    await tx.insertInto('users').values(user).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw ValidationError.global('account.username_taken');
    throw e;
  }
  let accountId = '';
  if (u.kind !== 'operator') {
    accountId = await insertDigitalAccount(tx, {
      userId: user.id, handle: u.handle, name: u.businessName ?? u.fullName, nowMs,
    });
  }
  return { user, accountId };
}

export async function insertDigitalAccount(
  tx: Tx,
  a: { userId: string | null; handle: string; name: string; nowMs: number; system?: boolean },
): Promise<string> {
  const id = newId();
  await tx.insertInto('digital_accounts').values({
    id, user_id: a.userId, handle: a.handle, name: a.name, currency: CURRENCY, balance_minor: 0,
    allow_negative: a.system ? 1 : 0, kind: a.system ? 'system' : 'wallet', created_at: a.nowMs,
  }).execute();
  return id;
}

/** Finds a person by username, phone or identity document, as every sign-in form allows. */
export async function findUserByLogin(db: ReadDb, login: string): Promise<User | undefined> {
  const raw = login.trim();
  if (!raw || raw.length > 64) return undefined;
  const username = normalizeUsername(raw);
  const phone = normalizePhone(raw);
  const document = normalizeDocument(raw);
  return db.selectFrom('users').selectAll()
    .where((eb) => eb.or([
      eb('username', '=', username),
      ...(isPhone(phone) ? [eb('phone', '=', phone)] : []),
      ...(isDocument(document) ? [eb('document', '=', document)] : []),
    ]))
    .executeTakeFirst();
}

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_LOCK_MS = 15 * MINUTE_MS;
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 15 * MINUTE_MS;

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'failed' | 'locked' | 'disabled'; minutes?: number };

/**
 * Password check with a per-account lock after repeated failures (kept in the store). Each
 * attempt takes its place in the count before the slow hash is checked, so a burst of
 * parallel guesses gets no more checks than sequential ones.
 */
export async function signIn(
  db: AutoCommit, login: string, password: string, nowMs: number, kinds: UserKind[],
): Promise<SignInResult> {
  const user = await findUserByLogin(db, login);
  if (!user || !kinds.includes(user.kind)) {
    await verifySecret(password, await dummyHash());
    return { ok: false, reason: 'failed' };
  }
  const lockedFor = (until: number) => ({ ok: false as const, reason: 'locked' as const, minutes: Math.ceil((until - nowMs) / MINUTE_MS) });
  if (user.login_locked_until > nowMs) return lockedFor(user.login_locked_until);
  const attempt = await db.updateTable('users')
    .set((eb) => ({ login_failed_count: eb('login_failed_count', '+', 1) }))
    .where('id', '=', user.id).where('login_locked_until', '<=', nowMs)
    .returning('login_failed_count').executeTakeFirst();
  if (!attempt) return lockedFor(nowMs + LOGIN_LOCK_MS);
  const lock = () => db.updateTable('users').set({ login_failed_count: 0, login_locked_until: nowMs + LOGIN_LOCK_MS })
    .where('id', '=', user.id).execute();
  if (attempt.login_failed_count > LOGIN_MAX_FAILURES) {
    await lock();
    return lockedFor(nowMs + LOGIN_LOCK_MS);
  }
  const good = await verifySecret(password, user.password_hash);
  if (!good) {
    if (attempt.login_failed_count >= LOGIN_MAX_FAILURES) await lock();
    return { ok: false, reason: 'failed' };
  }
  await db.updateTable('users').set({ login_failed_count: 0 }).where('id', '=', user.id).execute();
  if (user.status !== 'active') return { ok: false, reason: 'disabled' };
  return { ok: true, user };
}

export type PinResult = { ok: true } | { ok: false; reason: 'wrong' | 'locked'; minutes?: number };

/**
 * Checks the 4-digit operations PIN. Five wrong PINs lock it for 15 minutes; the count lives
 * in the store, so it survives restarts and is shared by every process and node. Only wrong
 * PINs count: the hash is checked first, then one atomic UPDATE records the outcome, so the
 * right PIN sent many times at once is never refused while fewer than five wrong ones are on
 * record. A burst of guesses still learns nothing past the fifth wrong one: each answer is
 * decided by that UPDATE, in the order they reach the store, and after the fifth every
 * answer, right or wrong, is "locked". In the sandbox, its magic wrong PIN is wrong for everyone.
 */
export async function checkPin(db: AutoCommit, userId: string, pin: string, nowMs: number, opts: { sandbox?: boolean } = {}): Promise<PinResult> {
  const user = await db.selectFrom('users').select(['pin_hash', 'pin_locked_until'])
    .where('id', '=', userId).executeTakeFirst();
  if (!user || !user.pin_hash) return { ok: false, reason: 'wrong' };
  const locked = (until: number): PinResult => ({ ok: false, reason: 'locked', minutes: Math.ceil((until - nowMs) / MINUTE_MS) });
  if (user.pin_locked_until > nowMs) return locked(user.pin_locked_until);
  const good = isPin(pin) && !(opts.sandbox && isMagicWrongPin(pin)) && (await verifySecret(pin, user.pin_hash));
  if (good) {
    const cleared = await db.updateTable('users').set({ pin_failed_count: 0 })
      .where('id', '=', userId).where('pin_locked_until', '<=', nowMs).executeTakeFirst();
    return Number(cleared.numUpdatedRows) === 1 ? { ok: true } : locked(nowMs + PIN_LOCK_MS);
  }
  // The fifth wrong PIN locks and starts the count over, in the same statement.
  const fifth = sql<boolean>`pin_failed_count + 1 >= ${PIN_MAX_FAILURES}`;
  const after = await db.updateTable('users')
    .set({
      pin_failed_count: sql`case when ${fifth} then 0 else pin_failed_count + 1 end`,
      pin_locked_until: sql`case when ${fifth} then ${nowMs + PIN_LOCK_MS} else pin_locked_until end`,
    })
    .where('id', '=', userId).where('pin_locked_until', '<=', nowMs)
    .returning('pin_locked_until').executeTakeFirst();
  if (!after) return locked(nowMs + PIN_LOCK_MS);
  return Number(after.pin_locked_until) > nowMs ? locked(Number(after.pin_locked_until)) : { ok: false, reason: 'wrong' };
}

const firstWalletOf = prepared((db, userId: string) => db.selectFrom('digital_accounts')
  .select(['id', 'handle', 'balance_minor']).where('user_id', '=', userId)
  .where('kind', '=', 'wallet').orderBy('created_at').orderBy('id').limit(1));

/**
 * The first wallet of a user (the oldest; the id breaks a tie): where a payer's money comes
 * from, and where a third-party app's calls for that user receive and pay out.
 */
export async function firstWallet(db: ReadDb, userId: string) {
  return (await firstWalletOf(db, userId))[0];
}

export async function walletsOf(db: ReadDb, userId: string) {
  return db.selectFrom('digital_accounts').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}
