import type { Ctx } from '../context.ts';
import { isEventType } from '../callbacks/events.ts';
import { paginate, readPage } from '../http/paginator.ts';
import type { ApiCaller } from '../oauth/bearer.ts';
import { apiDate } from '../shared/clock.ts';
import { FormErrors } from '../shared/form.ts';
import { doc, text } from '../shared/input.ts';
import './webhooks.messages.ts';

// GET /api/event/.json: what the app's webhook would have received, for a merchant that
// missed deliveries or polls instead. Only the calling app's events for the token's account.

const QUERY_SHAPE = { type: null, after: null } as const;

export interface EventResource {
  id: string;
  type: string;
  created_at: string;
  environment: string;
  data: unknown;
}

export async function listEvents(ctx: Ctx, caller: ApiCaller, query: unknown) {
  const q = doc(query);
  const page = readPage(query);
  const type = text(q.type);
  const afterId = text(q.after);
  const errors = new FormErrors();
  if (type !== undefined && !isEventType(type)) errors.add(['type'], 'events.type_unknown');
  const mine = ctx.store.db.selectFrom('events')
    .where('app_id', '=', caller.app.id).where('user_id', '=', caller.user.id).where('test', '=', 0);
  const after = afterId === undefined ? undefined
    : await mine.select('seq').where('id', '=', afterId.slice(0, 64)).executeTakeFirst();
  if (afterId !== undefined && !after) errors.add(['after'], 'events.after_unknown');
  errors.throwIfAny(QUERY_SHAPE);
  let base = mine;
  if (type) base = base.where('type', '=', type);
  if (after) base = base.where('seq', '>', Number(after.seq));
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base.select(['id', 'type', 'created_at', 'data_json']).orderBy('seq', after ? 'asc' : 'desc')
      .offset(page.offset).limit(page.maxPerPage).execute(),
  ]);
  const data: EventResource[] = rows.map((r) => ({
    id: r.id, type: r.type, created_at: apiDate(Number(r.created_at)), environment: ctx.env, data: JSON.parse(r.data_json) as unknown,
  }));
  const extra: Record<string, string> = {};
  if (type) extra.type = type;
  if (afterId) extra.after = afterId;
  return paginate(`${ctx.config.publicUrl}/api/event/.json`, page, Number(count.n), data, extra);
}
