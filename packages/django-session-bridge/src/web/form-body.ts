import type { Readable } from 'node:stream';

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
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.length;
    if (size > limit) {
      // Not awaited: a copy's cancel settles only once the original body is cancelled too.
      reader.cancel().catch(() => {});
      throw new FormTooLargeError(limit);
    }
    chunks.push(read.value);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
