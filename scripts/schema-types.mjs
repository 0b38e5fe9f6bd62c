// Column types Prisma's introspection leaves Unsupported for a Django database, read as what Django stores.
// Django's SQLite backend declares BooleanField as `bool`, a type name SQLite keeps but Prisma's SQLite
// introspection does not recognise (only `boolean`); SQLite stores it as the integers 0 and 1, which is
// exactly Prisma's Boolean on SQLite. Without this the Prisma client could not read is_active at all.
export function readDjangoTypes(schema) {
  return schema.replace(/\bUnsupported\("bool"\)/g, 'Boolean');
}
