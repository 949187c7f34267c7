import { decodeMsg, type ErrorTree } from '../shared/errors.ts';
import { t, type Locale } from '../shared/i18n.ts';

/** A validation tree as a page needs it: translated messages by field name, plus the form's own. */
export interface FormView {
  fields: Record<string, string[]>;
  global: string[];
  /** The first field with an error, to focus it. */
  first?: string;
}

export const emptyForm = (): FormView => ({ fields: {}, global: [] });

/** Flattens the 400 tree: nested fields become dotted names ("amount", "logo"). */
export function formView(tree: ErrorTree, locale: Locale, order: readonly string[] = []): FormView {
  const tr = (s: string) => {
    const m = decodeMsg(s);
    return t(locale, m.key, m.params);
  };
  const view: FormView = { fields: {}, global: (tree.errors ?? []).map(tr) };
  const walk = (node: ErrorTree, prefix: string) => {
    if (!node.children || Array.isArray(node.children)) return;
    for (const [name, child] of Object.entries(node.children)) {
      const path = prefix ? `${prefix}.${name}` : name;
      if (child.errors?.length) view.fields[path] = [...(view.fields[path] ?? []), ...child.errors.map(tr)];
      walk(child, path);
    }
  };
  walk(tree, '');
  const named = Object.keys(view.fields);
  view.first = order.find((f) => view.fields[f]) ?? named[0];
  return view;
}
