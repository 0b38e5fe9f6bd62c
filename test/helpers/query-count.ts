import type pg from 'pg';

/** Every statement sent through a pg pool (Prisma's adapter and the sql store both call pool.query). */
export interface QueryLog {
  readonly texts: string[];
  reset(): void;
}

export function logQueries(pool: pg.Pool): QueryLog {
  const texts: string[] = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    const first = args[0];
    texts.push(typeof first === 'string' ? first : String((first as { text?: unknown }).text));
    return query(...args);
  }) as typeof pool.query;
  return {
    texts,
    reset: () => {
      texts.length = 0;
    },
  };
}
