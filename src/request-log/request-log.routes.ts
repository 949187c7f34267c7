import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.ts';
import { appId, requireBusiness } from '../apps/apps.page.ts';
import { page } from '../web/render.ts';
import { BODY_LIMIT_BYTES } from './redact.ts';
import { captureCall } from './request-log.capture.ts';
import { METHODS, STATUS_CLASSES } from './request-log.filter.ts';
import { MAX_ROWS_PER_APP } from './request-log.purge.ts';
import { backQuery, logEntry, logPage } from './request-log.service.ts';
import { openRequestLog } from './request-log.writer.ts';
import './request-log.messages.ts';

// Every API call made with an app's credentials is recorded (off the request path, see
// request-log.writer.ts) and shown to the app's owner on the app's pages.

export async function registerRequestLog(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const writer = openRequestLog(ctx);
  // A callback hook (no promise per request); whatever happens here, the answer goes out unchanged.
  app.addHook('onSend', (request, reply, payload, done) => {
    try {
      const call = captureCall(ctx, request, reply, payload);
      if (call) writer.record(call);
    } catch (e) {
      request.log.warn({ err: e }, 'request log: call not recorded');
    }
    done(null, payload);
  });
  app.addHook('onClose', async () => writer.close());

  const web = { config: { web: true }, preHandler: requireBusiness };
  const shared = { methods: METHODS, statusClasses: STATUS_CLASSES, limitKb: BODY_LIMIT_BYTES / 1024, maxRows: MAX_ROWS_PER_APP };

  app.get('/settings/apps/:id/requests', web, async (request, reply) => {
    const view = await logPage(ctx, request.pageUser!.id, appId(request), request.query);
    return page(request, reply, 'apps-requests', { ...view, ...shared });
  });

  app.get('/settings/apps/:id/requests/:entry', web, async (request, reply) => {
    const view = await logEntry(ctx, request.pageUser!.id, appId(request), String((request.params as { entry: string }).entry));
    return page(request, reply, 'apps-request', { ...view, ...shared, back: backQuery((request.query as Record<string, unknown>).back) });
  });
}
