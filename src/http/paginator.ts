import { doc, intOf } from '../shared/input.ts';

// The API's Paginator document: links (absolute), meta, data. Query `page` and
// `maxPerPage` are bounded; anything unreadable falls back to the defaults.

export const DEFAULT_PER_PAGE = 10;
export const MAX_PER_PAGE = 100;
const MAX_PAGE = 100_000;

export interface PageRequest {
  page: number;
  maxPerPage: number;
  offset: number;
}

export interface Paginator<T> {
  links: { first: { href: string }; self: { href: string }; next?: { href: string }; last: { href: string } };
  meta: { currentPage: number; maxPerPage: number; totalPages: number; totalResults: number };
  data: T[];
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

export function readPage(query: unknown): PageRequest {
  const q = doc(query);
  const page = clamp(intOf(q.page) ?? 1, 1, MAX_PAGE);
  const maxPerPage = clamp(intOf(q.maxPerPage) ?? DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  return { page, maxPerPage, offset: (page - 1) * maxPerPage };
}

/**
 * Builds the Paginator. `baseHref` is the absolute URL of the list without a query;
 * `extra` holds other query parameters (filters) that every link must keep.
 */
export function paginate<T>(
  baseHref: string, req: PageRequest, totalResults: number, data: T[], extra: Record<string, string> = {},
): Paginator<T> {
  const totalPages = Math.max(1, Math.ceil(totalResults / req.maxPerPage));
  const href = (page: number) => {
    const params = new URLSearchParams({ ...extra, page: String(page), maxPerPage: String(req.maxPerPage) });
    return { href: `${baseHref}?${params.toString()}` };
  };
  return {
    links: {
      first: href(1),
      self: href(req.page),
      ...(req.page < totalPages ? { next: href(req.page + 1) } : {}),
      last: href(totalPages),
    },
    meta: { currentPage: req.page, maxPerPage: req.maxPerPage, totalPages, totalResults },
    data,
  };
}
