import type { Ctx } from '../context.ts';
import { ownedAppOr404 } from '../apps/apps.settings.service.ts';
import { NotFoundError } from '../shared/errors.ts';
import { intOf } from '../shared/input.ts';
import { decodeLogCursor, logFilterQuery, readLogFilter } from './request-log.filter.ts';
import { findLogRow, listLogRows } from './request-log.repository.ts';

// The log's pages: only the app's owner reads it; anyone else finds nothing (404).

export const PAGE_SIZE = 25;

export async function logPage(ctx: Ctx, ownerId: string, appId: string, query: unknown) {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const filter = readLogFilter(query);
  const cursor = decodeLogCursor((query as Record<string, unknown> | undefined)?.after);
  const rows = await listLogRows(ctx.store.db, ctx.store.dialect, app.id, filter, cursor, PAGE_SIZE);
  const more = rows.length > PAGE_SIZE;
  const shown = rows.slice(0, PAGE_SIZE);
  const last = shown[shown.length - 1];
  return {
    app, filter, rows: shown, paged: cursor !== undefined,
    query: logFilterQuery(filter),
    selfQuery: logFilterQuery(filter, cursor),
    nextQuery: more && last ? logFilterQuery(filter, { createdAt: Number(last.created_at), id: Number(last.id) }) : undefined,
  };
}

/** A body for reading: JSON indented, anything else (or JSON cut short) as stored. */
function readable(body: string | null): string | null {
  if (body === null) return null;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The list's own query (filter and page), read back from the detail's `back` link; anything else dropped. */
export function backQuery(back: unknown): string {
  if (typeof back !== 'string' || back.length > 1000) return '';
  const q = Object.fromEntries(new URLSearchParams(back));
  return logFilterQuery(readLogFilter(q), decodeLogCursor(q.after));
}

export async function logEntry(ctx: Ctx, ownerId: string, appId: string, entryId: string) {
  const app = await ownedAppOr404(ctx, ownerId, appId);
  const id = intOf(entryId);
  const row = id !== undefined && id > 0 ? await findLogRow(ctx.store.db, app.id, id) : undefined;
  if (!row) throw new NotFoundError();
  return {
    app,
    entry: {
      ...row,
      headers: Object.entries(JSON.parse(row.request_headers) as Record<string, string>),
      requestBody: readable(row.request_body),
      responseBody: readable(row.response_body),
    },
  };
}
