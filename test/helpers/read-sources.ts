import type { ReadSource } from 'django-session-bridge';

export type Sources = Record<ReadSource, number>;

const SOURCES: readonly ReadSource[] = ['replica', 'primary', 'fallback'];

/** bridge_verdicts_by_source_total, from the text of /metrics. */
export function readSources(metrics: string): Sources {
  const count = (source: ReadSource) => Number(new RegExp(`^bridge_verdicts_by_source_total\\{source="${source}"\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
  return Object.fromEntries(SOURCES.map((source) => [source, count(source)])) as Sources;
}

/** What `work` returned and what it added to each source that moved, e.g. { fallback: 1 }. */
export async function withSources<T>(metrics: () => Promise<string>, work: () => Promise<T>): Promise<{ result: T; by: Partial<Sources> }> {
  const before = readSources(await metrics());
  const result = await work();
  const after = readSources(await metrics());
  const by = Object.fromEntries(SOURCES.filter((source) => after[source] !== before[source]).map((source) => [source, after[source] - before[source]]));
  return { result, by };
}
