// Introspection through Prisma's Wasm schema engine, for machines where the native engine could not be
// downloaded. Its API is internal to Prisma, so package.json pins @prisma/schema-engine-wasm and
// @prisma/driver-adapter-utils to exact versions (run it with tsx: it shares src/databases/url.ts). The engine reads the database through the same driver
// adapter the service uses for it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import { providerOf, sqlitePath } from 'django-session-bridge';

const CHAR_OID = 18;
const TEXT_OID = 25;

// The engine's catalog queries return PostgreSQL's one-byte "char" type (relkind, contype…), which
// adapter-pg refuses to map. Reading it as text and reporting it as Character is what the engine expects.
function acceptCharColumns(adapter) {
  const queryRaw = adapter.queryRaw;
  adapter.queryRaw = async (query) => {
    let charColumns = [];
    const view = Object.create(adapter, {
      performIO: {
        value: async (q) => {
          const result = await adapter.performIO(q);
          charColumns = result.fields.flatMap((field, i) => (field.dataTypeID === CHAR_OID ? [i] : []));
          for (const i of charColumns) result.fields[i] = { ...result.fields[i], dataTypeID: TEXT_OID };
          return result;
        },
      },
    });
    const result = await queryRaw.call(view, query);
    for (const i of charColumns) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return adapter;
}

// Introspection never needs a shadow database: the engine asks for one only to diff migrations.
function migrationAware(factory, wrap = (adapter) => adapter) {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connect()),
  };
}

async function adapterFactory(url) {
  switch (providerOf(url)) {
    case 'postgresql': {
      const [{ PrismaPg }, { default: pg }] = await Promise.all([import('@prisma/adapter-pg'), import('pg')]);
      // No startup parameters: PgBouncer refuses them, and introspection reads nothing zoned.
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      return { factory: migrationAware(new PrismaPg(pool), acceptCharColumns), close: () => pool.end() };
    }
    case 'mysql':
      // Its Rust code panics with "Unsupported adapter provider: Mysql": the Wasm build has no MySQL describer.
      throw new Error(
        "Prisma's Wasm schema engine cannot introspect MySQL/MariaDB (it has PostgreSQL and SQLite only), and the native " +
          'schema engine is not installed (no internet at npm install). Run npm run db:pull where npm install could download it.',
      );
    case 'sqlite': {
      const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
      // Read-only, and never a file that does not exist: introspecting must not create an empty database.
      const factory = new PrismaBetterSqlite3({ url: sqlitePath(url), readonly: true, fileMustExist: true });
      return { factory: migrationAware(factory), close: async () => {} };
    }
    default:
      throw new Error('DATABASE_URL must be a postgresql://, mysql://, mariadb:// or file: URL');
  }
}

async function loadEngine() {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@prisma/schema-engine-wasm'));
  const bindings = await import(join(dir, 'schema_engine_bg.js'));
  const module = await WebAssembly.instantiate(await readFile(join(dir, 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': bindings,
  });
  bindings.__wbg_set_wasm(module.instance.exports);
  module.instance.exports.__wbindgen_start();
  return bindings.SchemaEngine;
}

export async function introspectWithWasm(schema, url, baseDirectoryPath) {
  let panic = '';
  globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => (panic = message) };
  const { factory, close } = await adapterFactory(url);
  const SchemaEngine = await loadEngine();
  const path = join(baseDirectoryPath, 'prisma', providerOf(url), 'schema.prisma');
  try {
    const engine = await SchemaEngine.new(
      { datamodels: [[path, schema]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    const result = await engine.introspect({
      schema: { files: [{ path, content: schema }] },
      baseDirectoryPath,
      force: false,
      compositeTypeDepth: -1,
      namespaces: null,
    });
    return result.schema.files[0].content;
  } catch (error) {
    throw new Error(panic || (error instanceof Error ? error.message : JSON.stringify(error)));
  } finally {
    await close();
  }
}
