import type { Tx, ReadDb } from '../db/store.ts';
import { isUniqueViolation } from '../db/store.ts';
import { randomCode } from '../shared/ids.ts';
import { defineMessages } from '../shared/i18n.ts';

export const codeMsg = defineMessages({
  'code.required': { es: 'El código de afiliación es obligatorio.', en: 'The affiliation code is required.' },
  'code.unknown': { es: 'El código de afiliación no existe.', en: 'The affiliation code does not exist.' },
  'code.used': { es: 'El código de afiliación ya fue utilizado.', en: 'The affiliation code has already been used.' },
  'code.wrong_type': {
    es: 'Este código de afiliación es de tipo «{type}»; aquí se requiere uno de tipo «{expected}».',
    en: 'This affiliation code is of type "{type}"; a "{expected}" code is required here.',
  },
});

export type CodeType = 'regular' | 'commercial';
const CODE_LENGTH = 8;

export async function issueCodes(tx: Tx, type: CodeType, count: number, issuedBy: string | null, nowMs: number): Promise<string[]> {
  const codes: string[] = [];
  while (codes.length < count) {
    const code = randomCode(CODE_LENGTH);
    try {
      await tx.insertInto('affiliation_codes').values({
        code, type, status: 'available', issued_by: issuedBy, used_by: null, used_at: null, created_at: nowMs,
      }).execute();
      codes.push(code);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  return codes;
}

export type CodeCheck = { ok: true } | { ok: false; key: string; params?: Record<string, string> };

type CodeRow = { type: string; status: string; issued_by: string | null } | undefined;

function judge(row: CodeRow, expected: CodeType, requireIssuer: boolean): CodeCheck {
  if (!row || (requireIssuer && !row.issued_by)) return { ok: false, key: 'code.unknown' };
  if (row.status !== 'available') return { ok: false, key: 'code.used' };
  if (row.type !== expected) return { ok: false, key: 'code.wrong_type', params: { type: row.type, expected } };
  return { ok: true };
}

/** What consumeCode would say, without using the code: lets a form report every error at once. */
export async function peekCode(db: ReadDb, code: string, expected: CodeType, requireIssuer: boolean): Promise<CodeCheck> {
  const row = await db.selectFrom('affiliation_codes').select(['type', 'status', 'issued_by']).where('code', '=', code).executeTakeFirst();
  return judge(row, expected, requireIssuer);
}

/**
 * Marks a code used by a user, inside the registration's transaction. The update is
 * conditional on the code being available, so a code can be used once even under races.
 */
export async function consumeCode(
  tx: Tx, code: string, expected: CodeType, userId: string, nowMs: number, requireIssuer: boolean,
): Promise<CodeCheck> {
  const row = await tx.selectFrom('affiliation_codes').select(['type', 'status', 'issued_by']).where('code', '=', code).executeTakeFirst();
  const check = judge(row, expected, requireIssuer);
  if (!check.ok) return check;
  const res = await tx.updateTable('affiliation_codes').set({ status: 'used', used_by: userId, used_at: nowMs })
    .where('code', '=', code).where('status', '=', 'available').executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return { ok: false, key: 'code.used' };
  return { ok: true };
}
