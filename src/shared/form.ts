import { encodeMsg, ValidationError, type ErrorTree } from './errors.ts';

/** The fields a form has: a leaf (null), a group of named fields, or a list of entries. */
export type Shape = null | { [field: string]: Shape } | Shape[];
type Path = readonly (string | number)[];

/** Collects errors by field path and renders the 400 tree over the whole form's shape. */
export class FormErrors {
  private readonly globalErrors: string[] = [];
  private readonly byPath = new Map<string, string[]>();

  global(key: string, params?: Record<string, string | number>): this {
    this.globalErrors.push(encodeMsg({ key, params }));
    return this;
  }

  add(path: Path, key: string, params?: Record<string, string | number>): this {
    const k = path.join('.');
    const list = this.byPath.get(k) ?? [];
    list.push(encodeMsg({ key, params }));
    this.byPath.set(k, list);
    return this;
  }

  has(path?: Path): boolean {
    if (!path) return this.globalErrors.length > 0 || this.byPath.size > 0;
    return this.byPath.has(path.join('.'));
  }

  toTree(shape: Shape): ErrorTree {
    const root = this.node(shape, []);
    return this.globalErrors.length ? { errors: [...this.globalErrors], ...root } : root;
  }

  /** Throws the 400 tree when anything was added. */
  throwIfAny(shape: Shape): void {
    if (this.has()) throw new ValidationError(this.toTree(shape));
  }

  private node(shape: Shape, path: Path): ErrorTree {
    const own = this.byPath.get(path.join('.'));
    const base: ErrorTree = own ? { errors: own } : {};
    if (shape === null) return base;
    if (Array.isArray(shape)) return { ...base, children: shape.map((s, i) => this.node(s, [...path, i])) };
    const children: Record<string, ErrorTree> = {};
    for (const [name, s] of Object.entries(shape)) children[name] = this.node(s, [...path, name]);
    return { ...base, children };
  }
}
