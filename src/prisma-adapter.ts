import { PrismaPg } from '@prisma/adapter-pg';
import type { ArgType, SqlDriverAdapterFactory, SqlQuery, SqlQueryable } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const TIMESTAMPTZ = pg.types.builtins.TIMESTAMPTZ;
const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date | number;
const DATE_ONLY = new Set(['DATE', 'TIME', 'TIMETZ']);

type QueryConfig = { types?: { getTypeParser: (oid: number, format?: string) => unknown } };

// adapter-pg reads timestamptz text by replacing its offset with +00:00, which is right only when the session
// TimeZone is UTC. Parsed with its offset, the instant is right under any TimeZone.
function instantTypes<T>(config: T): T {
  const types = (config as QueryConfig | undefined)?.types;
  if (typeof config !== 'object' || config === null || types === undefined) return config;
  const getTypeParser = (oid: number, format?: string) => {
    if (oid !== TIMESTAMPTZ || format !== 'text') return types.getTypeParser(oid, format);
    return (text: string) => {
      const instant = parseTimestamptz(text);
      return instant instanceof Date ? instant.toISOString() : (types.getTypeParser(oid, format) as (text: string) => unknown)(text);
    };
  };
  return { ...config, types: { getTypeParser } };
}

/** The same object, but its query() reads timestamptz with its offset. */
function readingInstants<T extends { query: (...args: never[]) => unknown }>(target: T, extra: Partial<Record<PropertyKey, unknown>> = {}): T {
  return new Proxy(target, {
    get(object, property) {
      if (property === 'query') return (config: unknown, ...rest: unknown[]) => (object.query as (...args: unknown[]) => unknown)(instantTypes(config), ...rest);
      if (property in extra) return extra[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

function isTimestampArg(type: ArgType | undefined): boolean {
  return type?.scalarType === 'datetime' && !DATE_ONLY.has(type.dbType ?? '');
}

// adapter-pg sends a Date as UTC wall time with no offset, which PostgreSQL reads in the session TimeZone.
// Sent as ISO 8601 with its Z it is the same instant under any TimeZone (and the same wall time for a
// timestamp without time zone, which ignores the zone).
function utcArgs(query: SqlQuery): SqlQuery {
  if (!query.argTypes.some(isTimestampArg)) return query;
  return {
    ...query,
    args: query.args.map((arg, i) => (isTimestampArg(query.argTypes[i]) && arg !== null ? new Date(arg as Date | string).toISOString() : arg)),
    argTypes: query.argTypes.map((type) => (isTimestampArg(type) ? { scalarType: 'string', arity: type.arity } : type)),
  };
}

function sendingUtc<T extends SqlQueryable>(queryable: T): T {
  return new Proxy(queryable, {
    get(object, property) {
      if (property === 'queryRaw') return (query: SqlQuery) => object.queryRaw(utcArgs(query));
      if (property === 'executeRaw') return (query: SqlQuery) => object.executeRaw(utcArgs(query));
      const value: unknown = Reflect.get(object, property, object);
      if (property === 'startTransaction') {
        return async (...args: unknown[]) => sendingUtc(await (value as (...args: unknown[]) => Promise<SqlQueryable>).apply(object, args));
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/**
 * Prisma's pg adapter on the shared pool, with timestamps that mean the same instant whatever the database's or
 * role's TimeZone, without setting TimeZone on connections (PgBouncer refuses the startup parameter, and a SET
 * would stay on a pooled server connection or be missing from the next one).
 */
export function prismaAdapter(pool: pg.Pool): SqlDriverAdapterFactory {
  const connect = async () => readingInstants(await pool.connect());
  const factory = new PrismaPg(readingInstants(pool, { connect }));
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => sendingUtc(await factory.connect()),
  };
}
