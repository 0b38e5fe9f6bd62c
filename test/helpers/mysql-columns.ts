import assert from 'node:assert/strict';
import type * as mariadb from 'mariadb';

/**
 * Asserts that every model of a MySQL Prisma schema has exactly the columns of its table in the pool's
 * database (DATABASE()), with their exact types and nullability: how a schema written without Prisma's
 * introspection (which offline has no MySQL connector) is checked against the tables Django made.
 */
export async function assertSchemaMatchesTables(schema: string, pool: mariadb.Pool): Promise<void> {
  const columns = await pool.query<{ table_name: string; column_name: string; column_type: string; is_nullable: string }[]>(
    'SELECT table_name, column_name, column_type, is_nullable FROM information_schema.columns WHERE table_schema = DATABASE()',
  );
  const native: Record<string, string> = { Int: 'int(11)', BigInt: 'bigint(20)', Boolean: 'tinyint(1)' };
  const models = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
  assert.ok(models.length >= 2);
  for (const [, name, body] of models) {
    const table = /@@map\("(\w+)"\)/.exec(body ?? '')?.[1] ?? name;
    const fields = [...(body ?? '').matchAll(/^ {2}(\w+)\s+(Int|BigInt|String|DateTime|Boolean)(\?)?(.*)$/gm)];
    const inTable = columns.filter((column) => column.table_name === table);
    assert.deepEqual(fields.map((field) => field[1]).sort(), inTable.map((column) => column.column_name).sort(), `${table}: the same columns`);
    for (const [, field, type, optional, attributes] of fields) {
      const column = inTable.find((c) => c.column_name === field);
      const dbType = /@db\.(\w+)(?:\((\d+)\))?/.exec(attributes ?? '');
      const expected = dbType ? `${dbType[1]?.toLowerCase()}${dbType[2] ? `(${dbType[2]})` : ''}` : native[type ?? ''];
      assert.equal(column?.column_type, expected, `${table}.${field} type`);
      assert.equal(column?.is_nullable === 'YES', optional === '?', `${table}.${field} nullability`);
    }
  }
}
