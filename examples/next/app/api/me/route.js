// A route handler on the Node runtime: the Web Request goes to authenticate() as it is.
import { auth } from '../../../lib/auth.js';

export async function GET(request) {
  try {
    const { loggedIn, user } = await auth().authenticate(request);
    return Response.json({ loggedIn, username: user?.username ?? null }, { headers: { vary: 'Cookie' } });
  } catch (error) {
    return new Response(null, { status: error.statusCode ?? 500 });
  }
}
