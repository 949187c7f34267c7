// What went wrong with one delivery attempt, in words a merchant can act on: their DNS, their
// server not answering in time, their certificate, nothing listening, a dropped connection, an
// answer that was not 2xx, or a URL the platform refuses to call.

export const ERROR_KINDS = ['dns', 'timeout', 'tls', 'refused', 'reset', 'http', 'blocked', 'network'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_CONSTANT', 'HPE_INVALID_STATUS']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** The kind of a network error thrown by node:http(s). */
export function classifyError(e: unknown): ErrorKind {
  const err = e as { code?: string; message?: string };
  const code = String(err?.code ?? '');
  const message = String(err?.message ?? '');
  if (DNS_CODES.has(code)) return 'dns';
  if (TIMEOUT_CODES.has(code) || /timeout/i.test(message)) return 'timeout';
  if (code === 'EPROTO' || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)
    || /SSL|TLS|certificate/i.test(message)) return 'tls';
  if (UNREACHABLE_CODES.has(code)) return 'refused';
  if (RESET_CODES.has(code) || /socket hang up/i.test(message)) return 'reset';
  return 'network';
}

/** The kind of an attempt already stored without one (attempts made before kinds were kept). */
export function kindOfStored(statusCode: number | null, error: string | null): ErrorKind | null {
  if (statusCode !== null) return statusCode >= 200 && statusCode < 300 ? null : 'http';
  if (!error) return null;
  if (/^refused:/.test(error)) return 'blocked';
  if (/^lookup of /.test(error)) return 'dns';
  const code = /\b(E[A-Z_]{3,}|ERR_[A-Z_]+)\b/.exec(error)?.[1];
  return classifyError({ code, message: error });
}
