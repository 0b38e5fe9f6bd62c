// Column types Prisma's introspection reads differently from what Django stores, read as what Django stores.
//
// Django's SQLite backend declares BooleanField as `bool`, a type name SQLite keeps but Prisma's SQLite
// introspection does not recognise (only `boolean`); SQLite stores it as the integers 0 and 1, which is
// exactly Prisma's Boolean on SQLite. Without this the Prisma client could not read is_active at all.
//
// It declares a BigAutoField key (a custom AUTH_USER_MODEL's, typically) `integer`, as SQLite's rowid alias
// must be spelt, and the columns that refer to it `bigint`: Prisma reads Int and BigInt and then refuses the
// relation between them, so the schema does not validate. The rowid is a 64-bit integer: a key that such a
// column refers to is read as BigInt.
export function readDjangoTypes(schema) {
  return widenReferencedKeys(schema.replace(/\bUnsupported\("bool"\)/g, 'Boolean'));
}

const MODEL = /^model (\w+) \{[\s\S]*?^\}/gm;
const RELATION = /^[ \t]+\w+[ \t]+(\w+)\??[ \t]+@relation\([^)]*\bfields: \[(\w+)\], references: \[(\w+)\]/gm;

function fieldType(model, field) {
  return new RegExp(`^[ \\t]+${field}[ \\t]+(\\w+)`, 'm').exec(model)?.[1];
}

function widenReferencedKeys(schema) {
  const models = new Map([...schema.matchAll(MODEL)].map((m) => [m[1], m[0]]));
  const widen = new Set();
  for (const [, model] of models) {
    for (const [, target, field, key] of model.matchAll(RELATION)) {
      if (fieldType(model, field) === 'BigInt' && fieldType(models.get(target) ?? '', key) === 'Int') widen.add(`${target}.${key}`);
    }
  }
  return schema.replace(MODEL, (model, name) =>
    [...widen].filter((entry) => entry.startsWith(`${name}.`)).reduce((text, entry) => {
      const key = entry.slice(name.length + 1);
      return text.replace(new RegExp(`^([ \\t]+${key}[ \\t]+)Int\\b`, 'm'), '$1BigInt');
    }, model),
  );
}
