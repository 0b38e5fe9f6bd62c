import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Koa from 'koa';
import request from 'supertest';
import { loginRedirectUrl, loginRequired, permissionRequired, staffMemberRequired } from '../../src/middleware/guards.ts';

const options = { loginUrl: '/accounts/login/', isApi: (path: string) => path.startsWith('/elixir/api/') };

function appWith(user: unknown, guard: Koa.Middleware): Koa {
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = (error as { status: number }).status;
    }
  });
  app.use(async (ctx, next) => {
    ctx.state.user = user;
    await next();
  });
  app.use(guard);
  app.use((ctx) => {
    ctx.body = 'the view';
  });
  return app;
}

const granted = (perms: string[]) => ({ isStaff: false, isActive: true, hasPerms: async (wanted: readonly string[]) => wanted.every((p) => perms.includes(p)) });

describe('guards like Django\'s decorators', () => {
  it('redirect_to_login quotes next as QueryDict.urlencode(safe="/") does', () => {
    assert.equal(loginRedirectUrl('/accounts/login/', '/elixir/account/?a=1&b=x y'), '/accounts/login/?next=/elixir/account/%3Fa%3D1%26b%3Dx+y');
    assert.equal(loginRedirectUrl('/login/?next=/old/&lang=fr', "/p/!'()*~"), "/login/?lang=fr&next=/p/%21%27%28%29%2A~");
  });

  it('login_required: anonymous visitors go to the log-in page with next, /api/ answers 401', async () => {
    const res = await request(appWith(null, loginRequired(options)).callback()).get('/elixir/account/?x=1').expect(302);
    assert.equal(res.headers.location, '/accounts/login/?next=/elixir/account/%3Fx%3D1');
    await request(appWith(null, loginRequired(options)).callback()).get('/elixir/api/x').expect(401);
    await request(appWith(granted([]), loginRequired(options)).callback()).get('/elixir/account/').expect(200, 'the view');
  });

  it('staff_member_required: active staff only', async () => {
    const guard = staffMemberRequired({ ...options, loginUrl: '/admin/login/' });
    await request(appWith({ isStaff: true, isActive: true }, guard).callback()).get('/elixir/staff/').expect(200);
    const res = await request(appWith({ isStaff: false, isActive: true }, guard).callback()).get('/elixir/staff/').expect(302);
    assert.equal(res.headers.location, '/admin/login/?next=/elixir/staff/');
    await request(appWith(null, guard).callback()).get('/elixir/staff/').expect(302);
  });

  it('permission_required: the log-in redirect, or 403 with raise_exception', async () => {
    const guard = permissionRequired(['polls.add_choice', 'polls.view_choice'], options);
    await request(appWith(granted(['polls.add_choice', 'polls.view_choice']), guard).callback()).get('/elixir/p/').expect(200);
    await request(appWith(granted(['polls.add_choice']), guard).callback()).get('/elixir/p/').expect(302);
    await request(appWith(null, guard).callback()).get('/elixir/p/').expect(302);
    const raising = permissionRequired('polls.add_choice', { ...options, raiseException: true });
    await request(appWith(granted([]), raising).callback()).get('/elixir/p/').expect(403);
    await request(appWith(null, raising).callback()).get('/elixir/p/').expect(403);
  });
});
