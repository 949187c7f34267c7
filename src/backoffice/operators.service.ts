import type { Tx, ReadDb } from '../db/store.ts';
import type { Ctx } from '../context.ts';
import { checkNewUser, insertUser } from '../accounts/accounts.service.ts';
import { writeAudit, type Actor } from '../audit/audit.service.ts';
import { issueCodes, type CodeType } from '../onboarding/codes.service.ts';
import { FormErrors } from '../shared/form.ts';
import { defineMessages } from '../shared/i18n.ts';

export const operatorMsg = defineMessages({
  'bo.operator_unknown': {
    es: 'No existe un operador activo con ese usuario.', en: 'There is no active operator with that username.',
  },
  'bo.codes_count': { es: 'Indique una cantidad de 1 a 100.', en: 'Enter a quantity from 1 to 100.' },
  'bo.codes_type': { es: 'El tipo debe ser «commercial» o «regular».', en: 'The type must be "commercial" or "regular".' },
});

export interface NewOperator {
  username: string;
  password: string;
  fullName?: string;
}

/**
 * Creates an operator account (no wallet, no PIN). The audit row names the operator who
 * created it, or the new operator itself when it is the first one, made at the console.
 */
export async function createOperator(ctx: Ctx, input: NewOperator, by?: Actor): Promise<{ id: string; username: string }> {
  const checked = await checkNewUser({
    kind: 'operator', username: input.username, password: input.password,
    fullName: input.fullName?.trim() || input.username,
  });
  const now = ctx.clock.now();
  return ctx.store.tx(async (tx) => {
    const { user } = await insertUser(tx, checked, now);
    const actor = by ?? { operatorId: user.id, via: 'cli' as const };
    await writeAudit(tx, actor, {
      action: 'operator.create', targetType: 'user', targetId: user.id, details: { username: user.username },
    }, now);
    return { id: user.id, username: user.username };
  });
}

/** The id of an active operator, for commands that act in an operator's name. */
export async function operatorId(db: ReadDb, username: string): Promise<string> {
  const row = await db.selectFrom('users').select('id')
    .where('username', '=', username.trim().toLowerCase()).where('kind', '=', 'operator').where('status', '=', 'active')
    .executeTakeFirst();
  if (!row) new FormErrors().add(['operator'], 'bo.operator_unknown').throwIfAny({ operator: null });
  return row!.id;
}

export const CODES_SHAPE = { type: null, count: null } as const;
export const MAX_CODES = 100;

export function checkCodesRequest(type: unknown, count: unknown): { type: CodeType; count: number } {
  const errors = new FormErrors();
  const t = type === undefined || type === '' ? 'commercial' : type;
  if (t !== 'commercial' && t !== 'regular') errors.add(['type'], 'bo.codes_type');
  const n = typeof count === 'number' ? String(count) : String(count ?? '1').trim() || '1';
  if (!/^\d{1,3}$/.test(n) || Number(n) < 1 || Number(n) > MAX_CODES) errors.add(['count'], 'bo.codes_count');
  errors.throwIfAny({ ...CODES_SHAPE });
  return { type: t as CodeType, count: Number(n) };
}

/** Codes for the sales team: issued_by is the operator, which production registration requires. */
export async function issueOperatorCodes(tx: Tx, actor: Actor, type: CodeType, count: number, nowMs: number): Promise<string[]> {
  const codes = await issueCodes(tx, type, count, actor.operatorId, nowMs);
  await writeAudit(tx, actor, {
    action: 'codes.issue', targetType: 'affiliation_codes', targetId: codes.join(' '), details: { type, count },
  }, nowMs);
  return codes;
}

export async function recentCodes(db: ReadDb, limit = 50) {
  return db.selectFrom('affiliation_codes as c')
    .leftJoin('users as i', 'i.id', 'c.issued_by')
    .leftJoin('users as u', 'u.id', 'c.used_by')
    .select(['c.code', 'c.type', 'c.status', 'c.created_at', 'c.used_at', 'i.username as issuer', 'u.username as used_by'])
    .where('c.issued_by', 'is not', null)
    .orderBy('c.created_at', 'desc').orderBy('c.code').limit(limit).execute();
}
