import { CSRF_FORM_FIELD } from '../django/csrf.ts';

/**
 * Whether the body is a URL-encoded form: the kind whose csrfmiddlewaretoken the adapters read. Django's
 * request.POST also parses multipart forms; send their token in the X-CSRFToken header instead.
 */
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
