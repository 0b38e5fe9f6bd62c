import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { DjangoAuth } from '../auth/create-django-auth.ts';
import type { BridgeUser } from '../auth/user.ts';
import type { DjangoRequestContext } from '../web/request-context.ts';
import { varyCookie } from './vary.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** request.user: the logged-in user with Django's permission methods, or null (set by djangoSession). */
    user: BridgeUser | null;
    /** The DjangoAuth and its verdict on this request (the guards and CSRF read it); null before djangoSession. */
    django: DjangoRequestContext | null;
    /** get_token() (set by csrfProtection): a fresh masked CSRF token; null with CSRF_USE_SESSIONS and no secret. */
    csrfToken: (() => string | null) | null;
  }
}

/** djangoSession's options. */
export interface DjangoSessionOptions {
  auth: DjangoAuth;
}

async function plugin(app: FastifyInstance, { auth }: DjangoSessionOptions): Promise<void> {
  app.decorateRequest('user', null);
  app.decorateRequest('django', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('vary', varyCookie(reply.getHeader('vary')));
    const verdict = await auth.authenticate(request.raw);
    request.user = verdict.user;
    request.django = { auth, verdict };
  });
}

// What fastify-plugin sets, written here rather than depending on it: the hook and decorations then belong
// to the app that registers the plugin, covering all of its routes instead of an encapsulated child.
Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'django-session-bridge' });

/**
 * Fastify plugin: Django's verdict on every request of the app (an onRequest hook), as `request.user` (the
 * user or null). Responses vary with the Cookie header. A database or cache that does not answer throws
 * DjangoAuthUnavailableError, whose statusCode 503 Fastify's default error handler answers.
 *
 * @example await app.register(djangoSession, { auth }); app.get('/', async (request) => request.user?.username ?? 'anonymous');
 */
export const djangoSession: FastifyPluginAsync<DjangoSessionOptions> = plugin;
