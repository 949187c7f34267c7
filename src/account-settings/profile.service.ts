import type { Ctx } from '../context.ts';
import { isEmail, isPhone, normalizePhone } from '../accounts/validation.ts';
import { isUniqueViolation, type ReadDb } from '../db/store.ts';
import { FormErrors } from '../shared/form.ts';
import type { Locale } from '../shared/i18n.ts';
import { passwordMatches } from './password.service.ts';
import './settings.messages.ts';

export const PROFILE_SHAPE = { fullName: null, email: null, phone: null, locale: null, password: null } as const;
export const PROFILE_ORDER = Object.keys(PROFILE_SHAPE);

export async function profileOf(db: ReadDb, userId: string) {
  const u = await db.selectFrom('users as u').leftJoin('user_preferences as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.kind', 'u.username', 'u.full_name', 'u.business_name', 'u.document', 'u.phone', 'u.email',
      'u.affiliation_code', 'u.created_at', 'p.locale'])
    .where('u.id', '=', userId).executeTakeFirstOrThrow();
  return { ...u, locale: (u.locale === 'en' ? 'en' : 'es') as Locale };
}

export interface ProfileInput { fullName: string; email: string; phone: string; locale: string; password: string }

/**
 * Name, e-mail, phone and the language of e-mail. A new e-mail address needs the password:
 * it is where reset links go, so a borrowed session must not be able to redirect them.
 * Identity (username, document) and business data stay as registered.
 */
export async function updateProfile(ctx: Ctx, userId: string, input: ProfileInput): Promise<void> {
  const current = await profileOf(ctx.store.db, userId);
  const errors = new FormErrors();
  const fullName = input.fullName.trim().replace(/\s+/g, ' ');
  if (fullName.length < 3 || fullName.length > 120) errors.add(['fullName'], 'account.name_invalid');
  const email = input.email.trim().toLowerCase();
  if (!isEmail(email)) errors.add(['email'], 'account.email_invalid');
  const phone = normalizePhone(input.phone);
  if (!isPhone(phone)) errors.add(['phone'], 'account.phone_invalid');
  const locale = input.locale === 'en' ? 'en' : input.locale === 'es' ? 'es' : undefined;
  if (!locale) errors.add(['locale'], 'common.invalid');
  if (email !== current.email && !errors.has(['email']) && !(await passwordMatches(ctx.store.db, userId, input.password))) {
    errors.add(['password'], 'settings.password_wrong');
  }
  errors.throwIfAny(PROFILE_SHAPE);
  const now = ctx.clock.now();
  try {
    await ctx.store.tx(async (tx) => {
      const clash = await tx.selectFrom('users').select('id').where('phone', '=', phone).where('id', '<>', userId).executeTakeFirst();
      if (clash) new FormErrors().add(['phone'], 'account.phone_taken').throwIfAny(PROFILE_SHAPE);
      await tx.updateTable('users').set({ full_name: fullName, email, phone }).where('id', '=', userId).execute();
      await tx.insertInto('user_preferences').values({ user_id: userId, locale: locale!, updated_at: now })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ locale: locale!, updated_at: now })).execute();
    });
  } catch (e) {
    // Two people claiming one phone at once: the store's UNIQUE decides.
    if (isUniqueViolation(e)) new FormErrors().add(['phone'], 'account.phone_taken').throwIfAny(PROFILE_SHAPE);
    throw e;
  }
}
