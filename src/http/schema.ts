import { Type, type TSchema } from 'typebox';

// Building blocks of the API's route schemas. A route's schema is its contract: Ajv checks
// the request's shape (the feature's form reader then applies the rules and messages),
// fast-json-stringify writes the answer, and the OpenAPI document is generated from both.

/** An amount as clients send it: a decimal string ("20.50") or a JSON number. */
export const MoneyIn = Type.Union([Type.String({ maxLength: 32 }), Type.Number()], {
  description: 'Amount in VES with at most 2 decimals, as a string or a number', examples: ['20.50'],
});

/** A field PHP clients render as text and JSON clients as a number or text. */
export const Scalar = (opts: { description?: string; examples?: unknown[]; maxLength?: number } = {}) =>
  Type.Union([Type.String({ maxLength: opts.maxLength ?? 2048 }), Type.Number(), Type.Boolean()], opts);

/** A list sent as an array, or as an object with numeric keys (PHP's `a[0][b]=`). */
export const List = <T extends TSchema>(item: T, description?: string) =>
  Type.Union([Type.Array(item), Type.Record(Type.String({ pattern: '^[0-9]{1,6}$' }), item)], description ? { description } : {});

/** The root key that holds the form (`paymentintent`, `payment_execution`, ...). */
export const Form = <T extends TSchema>(key: string, form: T) =>
  Type.Object({ [key]: form }, { additionalProperties: true });

export const ApiError = Type.Object({ code: Type.Integer(), message: Type.String() }, { examples: [{ code: 404, message: 'No encontrado.' }] });

/** The 400 tree: global errors, then every field of the form under `children`. */
export const ValidationTree = Type.Object({
  code: Type.Literal(400),
  message: Type.String(),
  errors: Type.Unknown({ description: 'errors: [global messages]; children: {field: {errors?, children?}} over the whole form' }),
}, {
  examples: [{
    code: 400, message: 'Validation Failed',
    errors: { errors: ['Saldo insuficiente para realizar este pago.'], children: { paymentIntent: {}, payer: {} } },
  }],
});

export const OAuthError = Type.Object({ error: Type.String(), error_description: Type.String() }, {
  examples: [{ error: 'invalid_grant', error_description: 'El token de acceso expiró.' }],
});

/** Answers every API route may give besides its 200. */
export const API_ERRORS = {
  400: ValidationTree, 401: OAuthError, 403: ApiError, 404: ApiError, 405: ApiError,
  409: ApiError, 413: ApiError, 422: ApiError, 503: ApiError,
};

const Link = Type.Object({ href: Type.String() });

export const Paginator = <T extends TSchema>(item: T, example?: unknown) => Type.Object({
  links: Type.Object({ first: Link, self: Link, next: Type.Optional(Link), last: Link }),
  meta: Type.Object({ currentPage: Type.Integer(), maxPerPage: Type.Integer(), totalPages: Type.Integer(), totalResults: Type.Integer() }),
  data: Type.Array(item),
}, example === undefined ? {} : { examples: [example] });

// No length bound: an id of any length that is not one of the account's is a 404, never a 400.
export const IdQuery = Type.Object({ id: Type.Optional(Type.String({ description: 'The resource id' })) }, { additionalProperties: true });
export const PageQuery = Type.Object({
  page: Type.Optional(Scalar({ description: 'Page, from 1', maxLength: 16 })),
  maxPerPage: Type.Optional(Scalar({ description: '1 to 100 (default 10)', maxLength: 16 })),
}, { additionalProperties: true });

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ maxLength: 255, description: 'Same key and body: the first answer again, marked Idempotency-Replayed: true' })),
}, { additionalProperties: true });

export const Currency = Type.Object({
  id: Type.String(), name: Type.String(), abbreviation: Type.String(), num: Type.Integer(), num_decimals: Type.Integer(),
}, { examples: [{ id: 'VES', name: 'Bolívar', abbreviation: 'Bs.', num: 928, num_decimals: 2 }] });

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

interface ApiRouteDoc {
  tags: string[];
  summary: string;
  description?: string;
  body?: TSchema;
  querystring?: TSchema;
  ok: TSchema;
  /** POST routes that move or create something honour Idempotency-Key. */
  idempotent?: boolean;
  /** A bearer token is needed (all /api routes). */
  auth?: boolean;
}

/** The Fastify schema of an API route: request shape, answers, documentation. */
export function apiSchema(d: ApiRouteDoc) {
  return {
    tags: d.tags,
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    ...(d.auth === false ? {} : { security: [{ bearer: [] as string[] }] }),
    ...(d.idempotent ? { headers: IdempotencyHeaders } : {}),
    ...(d.querystring ? { querystring: d.querystring } : {}),
    ...(d.body ? { body: d.body } : {}),
    response: { 200: d.ok, ...API_ERRORS },
  };
}
