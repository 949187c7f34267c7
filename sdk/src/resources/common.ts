import type { CallSpec } from '../client.js';

/** What a resource needs of the client: one call. */
export interface Caller {
  request<T>(spec: CallSpec): Promise<T>;
}

/** An id, or the resource that carries it (`intent` instead of `intent.id`). */
export type IdOf = string | { id: string };

export const idOf = (x: IdOf): string => (typeof x === 'string' ? x : x.id);
