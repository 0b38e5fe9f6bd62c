import { headers } from 'next/headers';
import { auth } from '../../lib/auth.js';

export default async function PrivatePage() {
  const { user } = await auth().authenticate(await headers());
  return <p>Hello, {user.firstName || user.username}</p>;
}
