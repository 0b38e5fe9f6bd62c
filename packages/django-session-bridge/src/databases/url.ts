// Which of Django's databases DATABASE_URL names, and how each driver is pointed at it. Prisma needs one
// `provider` per schema, so each database has its own schema (prisma/<provider>/schema.prisma) and its own
// generated client; the tools (db:pull, Studio) pick them with providerOf() too.

/** A database family, as Prisma names them: which driver and SQL dialect a URL needs. */
export type Provider = 'postgresql' | 'mysql' | 'sqlite';

/** Every database provider the library reads, in the order its documentation lists them. */
export const PROVIDERS: readonly Provider[] = ['postgresql', 'mysql', 'sqlite'];

/** postgresql:// → 'postgresql'; mysql:// or mariadb:// → 'mysql'; file:/path or sqlite:/path → 'sqlite'. */
export function providerOf(url: string): Provider | null {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  if (/^(mysql|mariadb):\/\//.test(url)) return 'mysql';
  if (/^(file|sqlite):/.test(url)) return 'sqlite';
  return null;
}

/** The parts of a mysql:// or mariadb:// URL the driver takes. */
export interface MysqlConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** A mysql:// or mariadb:// URL as the mariadb driver's options (the driver parses only mariadb:// itself). */
export function mysqlConnection(url: string): MysqlConnection {
  const parsed = new URL(url.replace(/^mysql:/, 'mariadb:'));
  return {
    host: parsed.hostname || 'localhost',
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}

/** The file of a file:/path, file:///path or sqlite:/path URL (a query string is dropped). */
export function sqlitePath(url: string): string {
  const path = url.replace(/^(file|sqlite):(\/\/(?=\/))?/, '');
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

/** host:port/database or the file, never the password: for log lines and error messages. */
export function describeUrl(url: string): string {
  if (providerOf(url) === 'sqlite') return sqlitePath(url);
  const parsed = new URL(url);
  const port = parsed.port || (providerOf(url) === 'mysql' ? '3306' : '5432');
  return `${parsed.hostname}:${port}${parsed.pathname}`;
}
