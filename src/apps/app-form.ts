import type { Ctx } from '../context.ts';
import { isSandbox } from '../context.ts';
import type { UploadedFile } from '../http/body.ts';
import { walletsOf } from '../accounts/accounts.service.ts';
import { FormErrors } from '../shared/form.ts';
import { isAbsoluteHttpUrl, isOwnHttpsSite } from '../shared/input.ts';
import { checkPngLogo } from './logo.ts';
import './apps.messages.ts';

export const APP_FORM_SHAPE = { name: null, description: null, homeUrl: null, receivingAccount: null, redirectUris: null, logo: null } as const;
export const APP_FORM_ORDER = Object.keys(APP_FORM_SHAPE);
export const MAX_REDIRECT_URIS = 10;

export interface AppFormInput {
  name: string;
  description: string;
  homeUrl: string;
  receivingAccount: string;
  redirectUris: string;
}

export interface CheckedApp {
  name: string;
  description: string;
  homeUrl: string;
  receivingAccountId: string;
  redirectUris: string[];
  logoPng: Buffer | null;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Adds the logo's error, if any; an empty file part (no file chosen) means no logo. */
export function checkLogoUpload(file: UploadedFile | undefined, errors: FormErrors, required: boolean): Buffer | null {
  if (!file || (file.data.length === 0 && !file.truncated && !file.filename)) {
    if (required) errors.add(['logo'], 'apps.logo_required');
    return null;
  }
  const check = checkPngLogo(file.data, file.truncated);
  if (!check.ok) {
    errors.add(['logo'], check.key, check.params);
    return null;
  }
  return file.data;
}

function checkRedirectUris(raw: string, production: boolean, errors: FormErrors): string[] {
  const lines = [...new Set(raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];
  if (lines.length > MAX_REDIRECT_URIS) errors.add(['redirectUris'], 'apps.redirect_too_many', { max: MAX_REDIRECT_URIS });
  for (const uri of lines.slice(0, MAX_REDIRECT_URIS)) {
    const shown = uri.length > 80 ? `${uri.slice(0, 77)}...` : uri;
    const u = uri.length <= 500 ? isAbsoluteHttpUrl(uri) : undefined;
    if (!u || uri.includes('#') || u.username || u.password) errors.add(['redirectUris'], 'apps.redirect_invalid', { uri: shown });
    else if (production && u.protocol !== 'https:' && !LOOPBACK.has(u.hostname)) errors.add(['redirectUris'], 'apps.redirect_https', { uri: shown });
  }
  return lines;
}

/** Validates the "Registrar aplicación" form; throws the 400 tree over the whole form. */
export async function checkAppForm(ctx: Ctx, ownerId: string, input: AppFormInput, logo: UploadedFile | undefined): Promise<CheckedApp> {
  const errors = new FormErrors();
  const production = !isSandbox(ctx);
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length < 3 || name.length > 60) errors.add(['name'], 'apps.name_invalid');
  const description = input.description.trim();
  if (!description || description.length > 500) errors.add(['description'], 'apps.description_invalid');
  const homeUrl = input.homeUrl.trim();
  const home = homeUrl.length <= 300 ? isAbsoluteHttpUrl(homeUrl) : undefined;
  if (!home || home.username || home.password) errors.add(['homeUrl'], 'apps.url_invalid');
  else if (production && home.protocol !== 'https:') errors.add(['homeUrl'], 'apps.url_https');
  // The same rule going live and activation apply: an app registered with anything else could never go live.
  else if (production && !isOwnHttpsSite(homeUrl)) errors.add(['homeUrl'], 'apps.home_not_own_domain');
  const wallets = await walletsOf(ctx.store.db, ownerId);
  const account = wallets.find((w) => w.id === input.receivingAccount);
  if (!account) errors.add(['receivingAccount'], 'apps.account_invalid');
  const redirectUris = checkRedirectUris(input.redirectUris, production, errors);
  const logoPng = checkLogoUpload(logo, errors, false);
  errors.throwIfAny(APP_FORM_SHAPE);
  return { name, description, homeUrl, receivingAccountId: account!.id, redirectUris, logoPng };
}
