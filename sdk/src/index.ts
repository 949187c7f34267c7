export { MpandcoClient, ENVIRONMENTS, newIdempotencyKey, responseOf } from './client.js';
export type { CallSpec, Environment, MpandcoClientOptions, RequestOptions, ResponseInfo } from './client.js';
export { MpandcoError, MpandcoSignatureError } from './errors.js';
export type { ErrorTree, MpandcoErrorCode } from './errors.js';
export { encodeForm } from './form.js';
export { ALIASES, ROUTES } from './routes.js';
export type { Route } from './routes.js';
export {
  DEFAULT_TOLERANCE_SEC, EVENT_HEADER, SIGNATURE_HEADER, TEST_HEADER, parseEvent, signatureHeader, verifyCallback, verifySignature, verifyWebhook,
} from './signature.js';
export type { EventType, MpandcoEvent, VerifyOptions } from './signature.js';
export { PUBLISHED_SANDBOX } from './resources/sandbox.js';
export type { AuthorizeParams } from './resources/sandbox.js';
export type { EventListParams } from './resources/events.js';
export type { IdOf } from './resources/common.js';
export type { TokenSource } from './auth.js';
export { TokenManager } from './auth.js';
export type { FetchLike } from './transport.js';
export type * from './types.js';
