export * from './django/index.ts';
