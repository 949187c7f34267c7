import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import { checkNewUser, insertUser, USER_FORM_SHAPE, type CheckedUser } from '../accounts/accounts.service.ts';
import { FormErrors } from '../shared/form.ts';
import { ValidationError } from '../shared/errors.ts';
import { consumeCode, peekCode, type CodeType } from './codes.service.ts';
import './onboarding.messages.ts';

export type AccountKind = 'personal' | 'business';

export interface RegistrationInput {
  kind: AccountKind;
  username: string;
  password: string;
  fullName: string;
  businessName?: string;
  document: string;
  phone: string;
  email: string;
  pin: string;
  affiliationCode?: string;
}

export const REGISTER_SHAPE = { affiliationCode: null, ...USER_FORM_SHAPE } as const;
/** Field order on the page, so that the first wrong field gets the focus. */
export const REGISTER_ORDER = ['affiliationCode', 'businessName', 'document', 'fullName', 'username', 'password', 'phone', 'email', 'pin'] as const;

/**
 * The code a business registration needs here: in the sandbox the `regular` code of the
 * codes link; in production only a `commercial` code issued by an operator.
 */
export function codeRule(ctx: Ctx): { expected: CodeType; requireIssuer: boolean } {
  return isSandbox(ctx) ? { expected: 'regular', requireIssuer: false } : { expected: 'commercial', requireIssuer: true };
}

const CODE_FORMAT = /^[A-Za-z0-9]{8}$/;

async function checkInput(ctx: Ctx, input: RegistrationInput): Promise<{ checked: CheckedUser; code: string | null }> {
  const errors = new FormErrors();
  let code: string | null = null;
  if (input.kind === 'business') {
    code = (input.affiliationCode ?? '').trim();
    const rule = codeRule(ctx);
    if (!code) errors.add(['affiliationCode'], 'code.required');
    else if (!CODE_FORMAT.test(code)) errors.add(['affiliationCode'], 'code.unknown');
    else {
      // Only a preview so every error shows at once; the transaction below decides.
      const peek = await peekCode(ctx.store.db, code, rule.expected, rule.requireIssuer);
      if (!peek.ok) errors.add(['affiliationCode'], peek.key, peek.params);
    }
  }
  try {
    const checked = await checkNewUser({ ...input, affiliationCode: code ?? undefined }, errors);
    return { checked, code };
  } catch (e) {
    // checkNewUser renders only its own fields; render the whole form instead.
    if (e instanceof ValidationError && errors.has()) throw new ValidationError(errors.toTree(REGISTER_SHAPE));
    throw e;
  }
}

/** Creates the account, its digital account and (business) uses the code, all or nothing. */
export async function registerAccount(ctx: Ctx, input: RegistrationInput): Promise<{ userId: string }> {
  const { checked, code } = await checkInput(ctx, input);
  const now = ctx.clock.now();
  return ctx.store.tx(async (tx) => {
    const { user } = await insertUser(tx, checked, now);
    if (code !== null) {
      const rule = codeRule(ctx);
      const used = await consumeCode(tx, code, rule.expected, user.id, now, rule.requireIssuer);
      if (!used.ok) {
        throw new ValidationError(new FormErrors().add(['affiliationCode'], used.key, used.params).toTree(REGISTER_SHAPE));
      }
    }
    return { userId: user.id };
  });
}
