import { headers } from 'next/headers';
import { auth } from '../../lib/auth.js';

// Reading the request's headers first makes this page dynamic, so next build never renders it.
export default async function PrivatePage() {
  const requestHeaders = await headers();
  const { user } = await auth().authenticate(requestHeaders);
  return <p>Hello, {user.firstName || user.username}</p>;
}
