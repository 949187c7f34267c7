import qs from 'qs';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';

// One body parser for the three encodings. Bracket names (a[b][0][c]) are expanded by qs
// with explicit limits, so a hostile body cannot build a huge or deep object.
export const QS_LIMITS = {
  depth: 8,
  parameterLimit: 500,
  arrayLimit: 100, // a larger index becomes an object key; asList() still reads it as a list
  allowPrototypes: false,
  plainObjects: true,
  strictDepth: true,
} as const;

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** JSON bodies are bounded too: no client document is nested this deep. */
export const JSON_MAX_DEPTH = 16;
export const FILE_LIMIT_BYTES = 1024 * 1024;

export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
  truncated: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    uploads: Map<string, UploadedFile>;
  }
}

export class BodyTooComplexError extends Error {}

export function parseUrlEncoded(body: string): Record<string, unknown> {
  try {
    return qs.parse(body, QS_LIMITS) as Record<string, unknown>;
  } catch (e) {
    throw Object.assign(new BodyTooComplexError((e as Error).message), { statusCode: 400 });
  }
}

/**
 * A url-encoded body, or a JSON document sent under that type: `curl -d '{...}'` (the
 * documentation's own payout example) labels JSON as url-encoded.
 */
export function parseFormOrJson(body: string): Record<string, unknown> {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const v = JSON.parse(trimmed) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* not JSON after all: read it as a form */
    }
  }
  return parseUrlEncoded(body);
}

/**
 * The body of a GET, which Fastify leaves unread: the documentation sends
 * register-item as `curl -X GET ... -d '{json}'`. Bounded like every other body.
 */
export async function readBodyOfGet(request: FastifyRequest): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw Object.assign(new BodyTooComplexError('body too large'), { statusCode: 413 });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  const doc = parseFormOrJson(text);
  if (!acceptableInput(doc)) throw Object.assign(new BodyTooComplexError('input too deep or holding NUL'), { statusCode: 400 });
  return doc;
}

function pairsToDoc(pairs: [string, string][]): Record<string, unknown> {
  const encoded = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return parseUrlEncoded(encoded);
}

export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  app.decorateRequest('uploads', null as unknown as Map<string, UploadedFile>);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_req, body, done) => {
      try {
        done(null, parseFormOrJson(body as string));
      } catch (e) {
        done(e as Error, undefined);
      }
    },
  );
  // A file past its limit arrives cut (UploadedFile.truncated), for its feature to refuse in
  // its own words, rather than failing the whole request with a bare 413.
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fieldNameSize: 200, fieldSize: 64 * 1024, fields: QS_LIMITS.parameterLimit, fileSize: FILE_LIMIT_BYTES, files: 4, parts: QS_LIMITS.parameterLimit + 4 },
  });
  // One callback hook: a url-encoded or JSON call is checked without a promise; only a
  // multipart body is read asynchronously first.
  app.addHook('preValidation', (request, _reply, done) => {
    request.uploads = new Map();
    const check = () => {
      if (!acceptableInput(request.body, request.query, request.params)) {
        throw Object.assign(new BodyTooComplexError('input too deep or holding NUL'), { statusCode: 400 });
      }
    };
    if (!request.isMultipart()) {
      try {
        check();
      } catch (e) {
        return done(e as Error);
      }
      return done();
    }
    readMultipartBody(request).then(check).then(() => done(), done);
  });
}

async function readMultipartBody(request: FastifyRequest): Promise<void> {
  const pairs: [string, string][] = [];
  try {
    await readParts(request, pairs);
  } catch (e) {
    // busboy's own errors (no boundary, truncated body) carry no status: they are bad input.
    if ((e as { statusCode?: number }).statusCode) throw e;
    throw Object.assign(new BodyTooComplexError((e as Error).message), { statusCode: 400 });
  }
  (request as { body: unknown }).body = pairsToDoc(pairs);
}

/**
 * Refuses what no client sends and a store cannot take: NUL characters (PostgreSQL's text
 * refuses them, SQLite does not: both must answer alike) and documents nested deeper than
 * JSON_MAX_DEPTH. Walks without recursion, so a hostile depth cannot exhaust the stack.
 */
export function acceptableInput(...values: unknown[]): boolean {
  const stack: [unknown, number][] = values.map((v) => [v, 0]);
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return false;
      continue;
    }
    if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) continue;
    if (depth >= JSON_MAX_DEPTH) return false;
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('\u0000')) return false;
      stack.push([x, depth + 1]);
    }
  }
  return true;
}

async function readParts(request: FastifyRequest, pairs: [string, string][]): Promise<void> {
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const data = await part.toBuffer().catch((e: { code?: string }) => {
        if (e.code === 'FST_REQ_FILE_TOO_LARGE') return null;
        throw e;
      });
      request.uploads.set(part.fieldname, {
        field: part.fieldname, filename: part.filename, mimetype: part.mimetype,
        data: data ?? Buffer.alloc(0), truncated: data === null || part.file.truncated,
      });
    } else {
      pairs.push([part.fieldname, String(part.value ?? '')]);
    }
  }
}
