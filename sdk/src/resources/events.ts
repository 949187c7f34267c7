import type { RequestOptions } from '../client.js';
import { query } from '../form.js';
import { ROUTES } from '../routes.js';
import type { MpandcoEvent, EventType } from '../signature.js';
import type { Paginator } from '../types.js';
import type { Caller } from './common.js';

export interface EventListParams {
  /** Only events after this one (an event id): what a webhook endpoint missed. */
  after?: string;
  /** Only events of this type. */
  type?: EventType;
  page?: number;
  maxPerPage?: number;
}

/** The events the webhooks deliver, to read the ones an endpoint missed. */
export class Events {
  constructor(private readonly client: Caller) {}

  /** `GET /api/event/.json`. */
  list(params: EventListParams = {}, options?: RequestOptions): Promise<Paginator<MpandcoEvent>> {
    return this.client.request({ route: ROUTES.listEvents, query: query({ ...params }), options });
  }
}
