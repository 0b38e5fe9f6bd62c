// Keeps, from an introspected schema, the generator, the datasource and the models this service reads: the
// session and user tables, and what ModelBackend reads for permissions. Django's database holds many more
// tables (admin log, other apps…); relation fields that point at them are dropped with them, since the
// service never follows those relations.
const BLOCK = /^((?:\/\/\/[^\n]*\n)*)(generator|datasource|model|enum|view|type)\s+(\w+)\s*\{[\s\S]*?^\}/gm;

const PERMISSION_TABLES = ['auth_group', 'auth_group_permissions', 'auth_permission', 'django_content_type'];

export function keepDjangoModels(schema, userTable = 'auth_user') {
  const blocks = [...schema.matchAll(BLOCK)].map((m) => ({ text: m[0], kind: m[2], name: m[3] }));
  const find = (table, hint) => {
    const found = blocks.find((b) => b.kind === 'model' && (b.name === table || b.text.includes(`@@map("${table}")`)));
    if (!found) throw new Error(`table ${table} not found: ${hint}`);
    return found;
  };
  const auth = "is 'django.contrib.auth' installed and migrated?";
  // Model name in the schema -> the name the code uses. A custom AUTH_USER_MODEL and its two many-to-many
  // tables (Django names them <user table>_groups and _user_permissions) become the auth_user models, keeping
  // their own tables through @@map, which Prisma preserves on every later introspection.
  const kept = new Map([
    [find(userTable, "has Django's migrate run on this database?").name, 'auth_user'],
    [find('django_session', "is 'django.contrib.sessions' installed and migrated?").name, 'django_session'],
    [find(`${userTable}_groups`, auth).name, 'auth_user_groups'],
    [find(`${userTable}_user_permissions`, auth).name, 'auth_user_user_permissions'],
    ...PERMISSION_TABLES.map((table) => [find(table, auth).name, table]),
  ]);
  const dropped = new Set(blocks.filter((b) => b.kind !== 'generator' && b.kind !== 'datasource' && !kept.has(b.name)).map((b) => b.name));
  const renames = [...kept].filter(([from, to]) => from !== to);

  return (
    blocks
      .filter((b) => !dropped.has(b.name))
      .map((b) => {
        const text = renameModels(dropRelationsTo(b.text, dropped), renames);
        return b.kind === 'model' && kept.get(b.name) !== b.name ? mapTable(text, b.name) : text;
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

// Renames model names used as identifiers (model names, relation field names and types), never inside a
// string: constraint and index names keep the database's spelling.
function renameModels(text, renames) {
  if (renames.length === 0) return text;
  const to = new Map(renames);
  const names = new RegExp(`\\b(${renames.map(([from]) => from).join('|')})\\b`, 'g');
  return text
    .split(/("(?:[^"\\]|\\.)*")/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(names, (name) => to.get(name))))
    .join('');
}

function mapTable(text, table) {
  return text.replace(/\n\}$/, `\n\n  @@map("${table}")\n}`);
}
