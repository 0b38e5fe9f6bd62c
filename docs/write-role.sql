-- The least a PostgreSQL role needs to log visitors in and out and change their passwords from Node
-- (DATABASE_WRITE_URL). It is a second role: the read side keeps its read-only one (read-only-role.sql), and
-- without DATABASE_WRITE_URL nothing writes. Run it in Django's database as a superuser or as the owner of
-- Django's tables:
--
--   psql "$DJANGO_DATABASE_ADMIN_URL" -v password="$(openssl rand -hex 24)" -f docs/write-role.sql
--
-- then set DATABASE_WRITE_URL=postgresql://django_writer:<that password>@<host>/django
--
-- Adapt three names to your site: django_writer (the role), django (the database) and auth_user (the table of
-- a custom AUTH_USER_MODEL). test/writes.test.ts (in the package) runs log-in, log-out and password changes
-- under exactly these statements. For MySQL/MariaDB, see write-role-mysql.sql; SQLite has no roles: the
-- write URL is Django's file, which the service's user must be able to write.

CREATE ROLE django_writer LOGIN PASSWORD :'password';

GRANT CONNECT ON DATABASE django TO django_writer;
GRANT USAGE ON SCHEMA public TO django_writer;

-- login() saves the session under a new key and deletes the old row; logout() deletes it; every save reads
-- the visitor's row first, as SessionStore.load() does.
GRANT SELECT, INSERT, UPDATE, DELETE ON django_session TO django_writer;

-- update_last_login, check_password's re-hash of an outdated hash, and set_password. PostgreSQL (and MySQL)
-- ask SELECT on a column an UPDATE's WHERE reads: the primary key, and nothing else.
GRANT UPDATE (last_login, password) ON auth_user TO django_writer;
GRANT SELECT (id) ON auth_user TO django_writer;
