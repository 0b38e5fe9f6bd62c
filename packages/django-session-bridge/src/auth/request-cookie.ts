import type { IncomingMessage } from 'node:http';
import { parseCookieHeader } from '../django/index.ts';

/**
 * What authenticate() reads the session cookie from: a Cookie header's value, a Web `Request` or `Headers`
 * (fetch, Next.js, Hono), a Node `IncomingMessage` (node:http, Express, Fastify's `request.raw`, a WebSocket
 * upgrade), or undefined for a request without one.
 */
export type AuthInput = string | Request | Headers | IncomingMessage | { headers: Headers | IncomingMessage['headers'] } | null | undefined;

function headerOf(headers: Headers | IncomingMessage['headers']): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get('cookie') ?? undefined;
  const value = (headers as IncomingMessage['headers']).cookie;
  return Array.isArray(value) ? value.join('; ') : value;
}

/** The Cookie header of any input authenticate() takes. */
export function cookieHeaderOf(input: AuthInput): string | undefined {
  if (input === null || input === undefined) return undefined;
  if (typeof input === 'string') return input;
  if (typeof (input as Headers).get === 'function' && !('headers' in input)) return headerOf(input as Headers);
  return headerOf((input as { headers: Headers | IncomingMessage['headers'] }).headers);
}

/** The named cookie's value in the input's Cookie header, parsed as Django parses it. */
export function sessionCookieOf(input: AuthInput, cookieName: string): string | undefined {
  const header = cookieHeaderOf(input);
  return header ? parseCookieHeader(header).get(cookieName) : undefined;
}
