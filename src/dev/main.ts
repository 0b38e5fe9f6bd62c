// `npm run dev`. With DATABASE_URL set (in the environment or .env) it is the service itself, in watch mode,
// and no demo code is even loaded. Without it, the demo: an embedded PostgreSQL with Django's tables and
// demo users, and log-in routes that write sessions into that database only.
import { loadDotEnv } from '../config.ts';

loadDotEnv();

if (process.env.DATABASE_URL) {
  const { main } = await import('../server.ts');
  await main();
} else {
  const { runDemo } = await import('./demo.ts');
  await runDemo();
}
