import type { RuntimeDataModel } from '@prisma/client/runtime/client';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Models = RuntimeDataModel['models'];

/** Table and column names of what ModelBackend reads, from the generated client (so from `npm run db:pull`). */
export interface PermissionTables {
  userGroups: { table: string; user: string; group: string };
  userPermissions: { table: string; user: string; permission: string };
  groupPermissions: { table: string; group: string; permission: string };
  group: { table: string; id: string; name: string };
  permission: { table: string; id: string; contentType: string; codename: string };
  contentType: { table: string; id: string; appLabel: string };
}

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

export function describePermissionTables(prisma: PrismaClient): PermissionTables {
  // As in user-model.ts: the runtime data model is the generated schema, not on the public client type.
  const models = (prisma as unknown as { _runtimeDataModel: RuntimeDataModel })._runtimeDataModel.models;
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
