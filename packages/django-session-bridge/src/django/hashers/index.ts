// Django's password hashers (django.contrib.auth.hashers), byte for byte, every one asynchronous: PBKDF2 and
// scrypt run on libuv's thread pool, argon2 and bcrypt in their native packages' own threads.
export * from './argon2.ts';
export * from './bcrypt-sha256.ts';
export * from './hasher.ts';
export * from './passwords.ts';
export * from './pbkdf2.ts';
export * from './random.ts';
export * from './registry.ts';
export * from './scrypt.ts';
