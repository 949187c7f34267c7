import type { TestServer } from '../helpers/env.ts';
import { flushRequestLog } from '../../src/request-log/request-log.writer.ts';

/** Writes what the server has buffered, so that the log's rows are in the store now. */
export const flushLog = (s: TestServer): Promise<void> => flushRequestLog(s.ctx);

export async function logRows(s: TestServer, appId: string) {
  await flushLog(s);
  return s.ctx.store.db.selectFrom('request_log').selectAll().where('app_id', '=', appId).orderBy('id').execute();
}

/** The ids of the rows of the log list on a page, in order. */
export const entryIds = (html: string): number[] => [...html.matchAll(/<tr data-id="(\d+)"/g)].map((m) => Number(m[1]));

/** A <pre> block's text, entities decoded. */
export function preText(html: string, id: string): string | undefined {
  const m = new RegExp(`<pre class="body" id="${id}">([\\s\\S]*?)</pre>`).exec(html);
  return m?.[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
