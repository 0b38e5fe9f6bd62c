// Django's PyMemcacheCache, read with `memjs`.
export { createMemcachedCache } from '../stores/memcached-store.ts';
