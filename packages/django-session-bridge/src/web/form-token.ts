import type { Readable } from 'node:stream';
import { CSRF_FORM_FIELD } from '../django/csrf.ts';

/** Django's DATA_UPLOAD_MAX_MEMORY_SIZE: the largest form body read for its token (2.5 MB). */
export const DEFAULT_FORM_LIMIT = 2_621_440;

/** A form body too large to read, as Django's RequestDataTooBig (a 400). */
export class FormTooLargeError extends Error {
  override name = 'FormTooLargeError';
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  constructor(limit: number) {
    super(`Request body exceeded the ${limit} bytes a form may have`);
  }
}

/** Whether Django's request.POST would hold this body's fields (a URL-encoded form). */
export function isUrlEncodedForm(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * request.POST.get('csrfmiddlewaretoken', ''): from a parsed body (a plain object, where a repeated field is
 * an array and Django's QueryDict takes the last one), URLSearchParams or FormData.
 */
export function formTokenOf(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  let value: unknown;
  if (typeof (body as URLSearchParams).getAll === 'function') value = (body as URLSearchParams).getAll(CSRF_FORM_FIELD);
  else value = (body as Record<string, unknown>)[CSRF_FORM_FIELD];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
}

/** A URL-encoded body's fields as body parsers give them: a repeated field becomes an array. */
export function formFields(params: URLSearchParams): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of params) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return fields;
}

/**
 * Reads a URL-encoded body from a Node request, refusing (FormTooLargeError) past `limit` bytes, by its
 * Content-Length before reading and by what arrives while reading.
 */
export async function readUrlEncodedBody(request: Readable & { headers: Record<string, string | string[] | undefined> }, limit = DEFAULT_FORM_LIMIT): Promise<URLSearchParams> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new FormTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new FormTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** readUrlEncodedBody for a Web Request (Hono, fetch handlers): reads a clone, so the body stays unread for the app. */
export async function readWebUrlEncodedBody(request: Request, limit = DEFAULT_FORM_LIMIT): Promise<URLSearchParams> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw new FormTooLargeError(limit);
  const body = request.clone().body;
  if (body === null) return new URLSearchParams();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.length;
      if (size > limit) throw new FormTooLargeError(limit);
      chunks.push(read.value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
