// The original server took the `.json` suffix of every API path as optional, and the
// documentation's own `_links` use `show?id=` and `execute/sale?id=`. Requests are
// rewritten to the one registered form before routing, so each route exists once.

/** `/api/payment-intent/show?id=1` -> `/api/payment-intent/show.json?id=1`; other URLs unchanged. */
export function canonicalApiUrl(url: string): string {
  if (!url.startsWith('/api/')) return url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.endsWith('.json')) return url;
  return `${path}.json${q === -1 ? '' : url.slice(q)}`;
}
