// Prisma Studio reads its connection URL by its own rules, narrower than the service's: it takes the
// protocol from what precedes "://" (so `file:/path` and `sqlite:/path` are not SQLite to it) and knows
// `mysql` but not `mariadb`. It opens the file at what follows `file:`, as it is (no percent-decoding),
// and creates an empty one where it finds none.
import { resolve } from 'node:path';
import { providerOf, sqlitePath } from 'django-session-bridge';

/** DATABASE_URL in the form Studio opens the same database with: file:///absolute/path, or mysql://. */
export function studioUrl(url: string, cwd: string): string {
  switch (providerOf(url)) {
    case 'sqlite':
      return `file://${resolve(cwd, sqlitePath(url))}`;
    case 'mysql':
      return url.replace(/^mariadb:/, 'mysql:');
    default:
      return url;
  }
}
