// Next 16's proxy (middleware.js before): anonymous visitors to /private go to Django's log-in page.
import { NextResponse } from 'next/server';
import { loginRedirectUrl } from 'django-session-bridge';
import { auth } from './lib/auth.js';

export async function proxy(request) {
  const { user } = await auth().authenticate(request);
  if (user === null) return NextResponse.redirect(new URL(loginRedirectUrl(auth().config.loginUrl, request.nextUrl.pathname), request.url));
  return NextResponse.next();
}

export const config = { matcher: '/private/:path*' };
