import { decodeMsg, type ErrorTree } from '../shared/errors.ts';
import { t, type Locale } from '../shared/i18n.ts';

/** A 400 tree as a page shows it: translated messages by top-level field, plus the form's own. */
export interface FieldErrors {
  fields: Record<string, string[]>;
  global: string[];
}

export const noErrors = (): FieldErrors => ({ fields: {}, global: [] });

export function fieldErrors(tree: ErrorTree, locale: Locale): FieldErrors {
  const tr = (s: string) => {
    const m = decodeMsg(s);
    return t(locale, m.key, m.params);
  };
  const out: FieldErrors = { fields: {}, global: (tree.errors ?? []).map(tr) };
  if (tree.children && !Array.isArray(tree.children)) {
    for (const [name, child] of Object.entries(tree.children)) {
      if (child.errors?.length) out.fields[name] = child.errors.map(tr);
    }
  }
  return out;
}
