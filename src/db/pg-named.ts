import pg from 'pg';

// PostgreSQL parses and plans every unnamed statement it receives. The hot, fixed-shape
// queries of src/db/prepared.ts are sent as named prepared statements instead: each
// connection parses and plans one once, then only binds and runs it. A statement that
// selects `*` is never named: a column added later (by a newer node's migration) would
// change its cached result type, which PostgreSQL refuses.

const names = new Map<string, string>();

/** Marks a compiled statement's text to be sent as a named prepared statement. */
export function nameStatement(text: string): void {
  if (names.has(text) || text.includes('*')) return;
  names.set(text, `mp_${names.size + 1}`);
}

/** The pool's connections: a marked text with parameters goes as a named statement. */
export class NamingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 && Array.isArray(values) ? names.get(text) : undefined;
    const call = super.query as unknown as (...a: unknown[]) => never;
    return name ? call.call(this, { name, text, values }) : call.apply(this, args);
  }
}
