import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { csrfCheck, type CsrfOptions } from '../web/csrf.ts';
import { formTokenOf } from '../web/form-token.ts';
import { nodeHeader, requireContext } from '../web/request-context.ts';
import { varyCookie } from './vary.ts';

/**
 * Django's CsrfViewMiddleware as a Fastify preHandler hook: an unsafe request needs Django's Origin or
 * Referer checks and a token matching the CSRF cookie (or, with CSRF_USE_SESSIONS, the session's secret),
 * from the X-CSRFToken header or a URL-encoded form's `csrfmiddlewaretoken` (as the app's form parser, e.g.
 * @fastify/formbody, left it on request.body). A refusal throws CsrfFailureError (statusCode 403), its reason
 * in the message only under DEBUG. `request.csrfToken()` gives tokens Django accepts; the CSRF cookie is
 * written as Django writes it.
 *
 * @example app.post('/form', { preHandler: csrfProtection() }, async () => 'saved');
 */
export function csrfProtection(options: CsrfOptions = {}): preHandlerAsyncHookHandler {
  return async function csrfProtection(request: FastifyRequest, reply: FastifyReply) {
    const { auth, verdict } = requireContext(request.django);
    const check = csrfCheck(auth.config, {
      method: request.method,
      header: (name) => nodeHeader(request.headers, name),
      connectionSecure: (request.raw.socket as TLSSocket).encrypted === true,
      session: verdict.session,
    }, options);
    // A hook cannot see the handler's end: the cookie is written when it is owed, before the reply is sent.
    const writeCookie = () => {
      const cookie = check.takeCookie();
      if (cookie === null || reply.sent) return;
      reply.header('set-cookie', cookie);
      reply.header('vary', varyCookie(reply.getHeader('vary')));
    };
    request.csrfToken = () => {
      const token = check.token();
      writeCookie();
      return token;
    };
    const refused = await check.verify(async () => formTokenOf(request.body));
    writeCookie();
    if (refused) throw refused;
  };
}
