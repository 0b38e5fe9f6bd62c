import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * The three generated clients come from schemas with the same models, fields and types for everything the
 * service reads (the store contract suite runs the Prisma store on each database); their TypeScript types
 * differ only in provider-specific extras such as createManyAndReturn, which the service never calls.
 */
export function sameModels(client: object): PrismaClient {
  return client as PrismaClient;
}
