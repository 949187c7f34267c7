// Services throw these; one mapper (src/http/error-mapper.ts) turns them into the wire format.

export type ErrorTree = { errors?: string[]; children?: Record<string, ErrorTree> | ErrorTree[] };

/** A message key plus parameters, translated at the edge. */
export type Msg = { key: string; params?: Record<string, string | number> };

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly msg: Msg,
  ) {
    super(msg.key);
  }
}

/** 400 with the validation tree. The tree holds message keys until the edge translates them. */
export class ValidationError extends DomainError {
  constructor(readonly tree: ErrorTree) {
    super(400, { key: 'common.validation_failed' });
  }
  static global(key: string, params?: Record<string, string | number>): ValidationError {
    return new ValidationError({ errors: [encodeMsg({ key, params })], children: {} });
  }
}

export class UnauthorizedError extends DomainError {
  constructor(key = 'oauth.token_missing') {
    super(401, { key });
  }
}
export class ForbiddenError extends DomainError {
  constructor(key = 'common.forbidden', params?: Record<string, string | number>) {
    super(403, { key, params });
  }
}
export class NotFoundError extends DomainError {
  constructor(key = 'common.not_found') {
    super(404, { key });
  }
}
export class ConflictError extends DomainError {
  constructor(key: string) {
    super(409, { key });
  }
}
export class UnprocessableError extends DomainError {
  constructor(key: string) {
    super(422, { key });
  }
}
export class UnavailableError extends DomainError {
  constructor(key: string) {
    super(503, { key });
  }
}

// Message keys travel inside trees as "key|json(params)" so the tree stays plain data.
export function encodeMsg(m: Msg): string {
  return m.params ? `${m.key}|${JSON.stringify(m.params)}` : m.key;
}
export function decodeMsg(s: string): Msg {
  const i = s.indexOf('|');
  return i < 0 ? { key: s } : { key: s.slice(0, i), params: JSON.parse(s.slice(i + 1)) };
}
