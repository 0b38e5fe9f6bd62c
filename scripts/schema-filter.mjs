// Keeps, from an introspected schema, the generator, the datasource and the two models this service reads.
// Django's database holds many more tables (groups, permissions, admin log…); relation fields that point at
// them are dropped with them, since the service never follows those relations.
const BLOCK = /^((?:\/\/\/[^\n]*\n)*)(generator|datasource|model|enum|view|type)\s+(\w+)\s*\{[\s\S]*?^\}/gm;

export function keepDjangoModels(schema, userTable = 'auth_user') {
  const blocks = [...schema.matchAll(BLOCK)].map((m) => ({ text: m[0], kind: m[2], name: m[3] }));
  const userModel = blocks.find(
    (b) => b.kind === 'model' && (b.name === userTable || b.text.includes(`@@map("${userTable}")`)),
  );
  if (!userModel) throw new Error(`table ${userTable} not found: has Django's migrate run on this database?`);
  const session = blocks.find((b) => b.kind === 'model' && b.name === 'django_session');
  if (!session) throw new Error("table django_session not found: is 'django.contrib.sessions' installed and migrated?");

  const dropped = new Set(blocks.filter((b) => b.kind !== 'generator' && b.kind !== 'datasource').map((b) => b.name));
  dropped.delete(userModel.name);
  dropped.delete('django_session');

  const keep = blocks.filter((b) => b.kind === 'generator' || b.kind === 'datasource' || !dropped.has(b.name));
  return (
    keep
      .map((b) => {
        let text = dropRelationsTo(b.text, dropped);
        if (b === userModel && b.name !== 'auth_user') text = renameUserModel(text, b.name);
        return text;
      })
      .join('\n\n') + '\n'
  );
}

function dropRelationsTo(text, dropped) {
  return text
    .split('\n')
    .filter((line) => {
      const field = line.match(/^\s+\w+\s+(\w+)(\[\]|\?)?(\s|$)/);
      return !(field && dropped.has(field[1]));
    })
    .join('\n');
}

// The code reads the user through the model `auth_user`; a custom AUTH_USER_MODEL keeps its own table name
// through @@map, which Prisma preserves on every later introspection.
function renameUserModel(text, table) {
  return text.replace(`model ${table} {`, 'model auth_user {').replace(/\n\}$/, `\n\n  @@map("${table}")\n}`);
}
