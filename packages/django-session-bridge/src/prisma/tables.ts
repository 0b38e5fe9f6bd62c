// Django's tables as the caller's introspected Prisma schema names them, read from the client's own data model.
import type { DjangoTables, PermissionTables } from '../stores/tables.ts';

/** The slice of a generated client's runtime data model read here (`npm run db:pull`'s models). */
interface RuntimeModels {
  models: Record<string, { dbName: string | null; fields: readonly { name: string; kind: string; type: string; dbName?: string | null }[] }>;
}

/**
 * A PrismaClient generated from Django's tables by `prisma db pull`: the models `django_session` and `auth_user`
 * (a custom AUTH_USER_MODEL introspected as `auth_user` with @@map) and Django's permission tables.
 */
export interface DjangoPrismaClient {
  django_session: { findUnique(args: never): PromiseLike<unknown> };
  auth_user: { findUnique(args: never): PromiseLike<unknown> };
}

type Models = RuntimeModels['models'];

function modelOf(models: Models, name: string): Models[string] {
  const model = models[name];
  if (!model) throw new Error(`the generated Prisma client has no ${name} model: run npm run db:pull`);
  return model;
}

function tableOf(models: Models, name: string): string {
  return modelOf(models, name).dbName ?? name;
}

function column(models: Models, name: string, field: string): string {
  const found = modelOf(models, name).fields.find((f) => f.kind === 'scalar' && f.name === field);
  if (!found) throw new Error(`the ${name} model has no ${field} field: run npm run db:pull`);
  return found.dbName ?? found.name;
}

// Django names a many-to-many table's columns after the two models (user_id for User, myuser_id for MyUser):
// the user's column is the one that is neither the id nor the other side's.
function userColumn(models: Models, name: string, other: string): string {
  const [only, ...more] = modelOf(models, name).fields.filter((f) => f.kind === 'scalar' && f.name !== 'id' && f.name !== other);
  if (!only || more.length > 0) throw new Error(`the ${name} model is not a Django many-to-many table: run npm run db:pull`);
  return only.dbName ?? only.name;
}

function modelsOf(prisma: DjangoPrismaClient): Models {
  // The client's runtime data model is the generated schema; its type is not on the public client type.
  return (prisma as unknown as { _runtimeDataModel: RuntimeModels })._runtimeDataModel.models;
}

/**
 * The tables the library reads, as the introspected schema names them (`npm run db:pull`): a custom
 * AUTH_USER_MODEL is the model `auth_user` with @@map("its_table"), and its many-to-many tables likewise.
 */
export function tablesFromPrisma(prisma: DjangoPrismaClient): DjangoTables {
  const models = modelsOf(prisma);
  return { sessionTable: tableOf(models, 'django_session'), userTable: tableOf(models, 'auth_user'), permissions: describePermissionTables(prisma) };
}

/** Whether the user model's id is a bigint (Prisma's BigInt) rather than an int. */
export function userIdIsBigInt(prisma: DjangoPrismaClient): boolean {
  return modelOf(modelsOf(prisma), 'auth_user').fields.find((field) => field.name === 'id')?.type === 'BigInt';
}

/** Django's permission tables and columns as the schema names them. */
export function describePermissionTables(prisma: DjangoPrismaClient): PermissionTables {
  const models = modelsOf(prisma);
  return {
    userGroups: {
      table: tableOf(models, 'auth_user_groups'),
      user: userColumn(models, 'auth_user_groups', 'group_id'),
      group: column(models, 'auth_user_groups', 'group_id'),
    },
    userPermissions: {
      table: tableOf(models, 'auth_user_user_permissions'),
      user: userColumn(models, 'auth_user_user_permissions', 'permission_id'),
      permission: column(models, 'auth_user_user_permissions', 'permission_id'),
    },
    groupPermissions: {
      table: tableOf(models, 'auth_group_permissions'),
      group: column(models, 'auth_group_permissions', 'group_id'),
      permission: column(models, 'auth_group_permissions', 'permission_id'),
    },
    group: { table: tableOf(models, 'auth_group'), id: column(models, 'auth_group', 'id'), name: column(models, 'auth_group', 'name') },
    permission: {
      table: tableOf(models, 'auth_permission'),
      id: column(models, 'auth_permission', 'id'),
      contentType: column(models, 'auth_permission', 'content_type_id'),
      codename: column(models, 'auth_permission', 'codename'),
    },
    contentType: {
      table: tableOf(models, 'django_content_type'),
      id: column(models, 'django_content_type', 'id'),
      appLabel: column(models, 'django_content_type', 'app_label'),
    },
  };
}
