import { createRequire } from 'node:module';

/** The subset of autocannon's options and result the tests use (the package ships no types). */
export interface LoadRequest {
  method: 'GET';
  path: string;
  headers: Record<string, string>;
  onResponse: (status: number, body: string) => void;
}
export interface LoadResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
}
type Autocannon = (options: { url: string; connections: number; duration?: number; amount?: number; overallRate?: number; timeout: number; requests: LoadRequest[] }) => Promise<LoadResult>;
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
