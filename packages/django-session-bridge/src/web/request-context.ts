import type { DjangoAuth, DjangoVerdict } from '../auth/create-django-auth.ts';

/** What djangoSession leaves on each request for the guards and CSRF: the DjangoAuth, and its verdict. */
export interface DjangoRequestContext {
  auth: DjangoAuth;
  verdict: DjangoVerdict;
}

/** The request's context, or an error saying what is missing: the guards and CSRF cannot work without it. */
export function requireContext(context: DjangoRequestContext | null | undefined): DjangoRequestContext {
  if (!context) throw new Error('djangoSession must run before loginRequired, permissionRequired, staffMemberRequired and csrfProtection');
  return context;
}

/** One header value of a Node request: repeated headers joined with ", ", as a Web Headers object joins them. */
export function nodeHeader(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
