// One error type for every refusal of the API, so callers branch on `status` and `code`
// instead of parsing bodies; and one for signatures that do not verify.

/** A node of the API's 400 tree: the form's (or field's) own messages, then its fields. */
export interface ErrorTree {
  errors?: string[];
  children?: Record<string, ErrorTree> | ErrorTree[];
}

export type MpandcoErrorCode =
  | 'validation_failed' | 'unauthorized' | 'forbidden' | 'not_found' | 'method_not_allowed' | 'conflict'
  | 'payload_too_large' | 'unprocessable' | 'rate_limited' | 'unavailable' | 'server_error' | 'network_error'
  | 'invalid_response'
  // RFC 6749 codes of the token endpoint (and of a 401 from the API).
  | 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope'
  | (string & {});

const CODE_OF_STATUS: Record<number, MpandcoErrorCode> = {
  400: 'validation_failed', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  409: 'conflict', 413: 'payload_too_large', 422: 'unprocessable', 429: 'rate_limited', 503: 'unavailable',
};

export interface MpandcoErrorInit {
  status: number;
  body?: unknown;
  headers?: Headers;
  method?: string;
  path?: string;
  idempotencyKey?: string;
  cause?: unknown;
  message?: string;
  code?: MpandcoErrorCode;
}

export class MpandcoError extends Error {
  override readonly name = 'MpandcoError';
  /** HTTP status; 0 when no answer arrived (network failure, timeout). */
  readonly status: number;
  /** `validation_failed`, `forbidden`, `not_found`, `conflict`, ...; the OAuth `error` when the body has one. */
  readonly code: MpandcoErrorCode;
  /** On a 400: the global errors and every field's, as the API sent them. */
  readonly errors?: ErrorTree;
  /** The answer's body as parsed (JSON) or its text. */
  readonly body: unknown;
  readonly headers?: Headers;
  readonly method?: string;
  readonly path?: string;
  /** The key the request carried: retry with it to learn the outcome without repeating it. */
  readonly idempotencyKey?: string;
  /** Seconds the server asked to wait (409 while the same key is running, 429). */
  readonly retryAfter?: number;

  constructor(init: MpandcoErrorInit) {
    const body = init.body as { message?: unknown; error?: unknown; error_description?: unknown; errors?: unknown } | undefined;
    const oauth = typeof body?.error === 'string' ? body.error : undefined;
    const message = init.message ?? (typeof body?.error_description === 'string' ? body.error_description
      : typeof body?.message === 'string' ? body.message : `HTTP ${init.status}`);
    super(init.status === 400 ? `${message}: ${flatten(body?.errors as ErrorTree | undefined).join('; ')}` : message,
      init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code ?? oauth ?? CODE_OF_STATUS[init.status] ?? (init.status >= 500 ? 'server_error' : `http_${init.status}`);
    this.body = init.body;
    this.headers = init.headers;
    this.method = init.method;
    this.path = init.path;
    this.idempotencyKey = init.idempotencyKey;
    if (init.status === 400 && body?.errors && typeof body.errors === 'object') this.errors = body.errors as ErrorTree;
    const after = Number(init.headers?.get('retry-after'));
    if (Number.isFinite(after) && after >= 0 && init.headers?.get('retry-after')) this.retryAfter = after;
  }

  /** The form's own messages ("Saldo insuficiente para realizar este pago."). */
  get globalErrors(): string[] {
    return this.errors?.errors ?? [];
  }

  /**
   * The messages of one field, by its path in the request:
   * `fieldErrors('transactions', 0, 'amount', 'total')`, or `fieldErrors('payer')`.
   */
  fieldErrors(...path: (string | number)[]): string[] {
    let node: ErrorTree | undefined = this.errors;
    for (const step of path) {
      const children: ErrorTree['children'] = node?.children;
      node = Array.isArray(children) ? children[Number(step)] : children?.[String(step)];
    }
    return node?.errors ?? [];
  }

  /** Every message of the tree, each prefixed by its field's path (`transactions.0.amount.total: ...`). */
  get allErrors(): string[] {
    return flatten(this.errors);
  }
}

function flatten(tree: ErrorTree | undefined, prefix = ''): string[] {
  if (!tree || typeof tree !== 'object') return [];
  const out = (tree.errors ?? []).map((e) => (prefix ? `${prefix}: ${e}` : e));
  const children = tree.children;
  const entries = Array.isArray(children) ? children.map((c, i) => [String(i), c] as const) : Object.entries(children ?? {});
  for (const [k, child] of entries) out.push(...flatten(child, prefix ? `${prefix}.${k}` : k));
  return out;
}

/** A callback or webhook whose signature is missing, malformed, wrong or too old. */
export class MpandcoSignatureError extends Error {
  override readonly name = 'MpandcoSignatureError';
  constructor(
    readonly reason: 'missing' | 'malformed' | 'mismatch' | 'too_old' | 'invalid_payload',
    message: string,
  ) {
    super(message);
  }
}
