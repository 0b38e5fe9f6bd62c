// Django's Redis cache backends, read with `@redis/client`.
export { createRedisCache } from '../stores/redis-store.ts';
