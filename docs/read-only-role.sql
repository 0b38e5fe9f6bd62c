-- The least a PostgreSQL role needs to run django-session-bridge: read, nothing else, on the columns the
-- service reads. Run it in Django's database as a superuser or as the owner of Django's tables:
--
--   psql "$DJANGO_DATABASE_ADMIN_URL" -v password="$(openssl rand -hex 24)" -f docs/read-only-role.sql
--
-- then set DATABASE_URL=postgresql://django_readonly:<that password>@<host>/django
--
-- Adapt three names to your site: django_readonly (the role), django (the database) and, with a custom
-- AUTH_USER_MODEL, auth_user (its table; the columns are AbstractUser's) with its two join tables
-- (<table>_groups and <table>_user_permissions, whose user column is <model>_id). The signed_cookies engine never
-- reads django_session: leave that GRANT out. test/read-only.test.ts runs the service under exactly these
-- statements (see docs/security.md, "A read-only database role").

CREATE ROLE django_readonly LOGIN PASSWORD :'password';

-- Even a statement the grants would allow could never write: every transaction of this role is read-only.
ALTER ROLE django_readonly SET default_transaction_read_only = on;

GRANT CONNECT ON DATABASE django TO django_readonly;
GRANT USAGE ON SCHEMA public TO django_readonly;

GRANT SELECT (session_key, session_data, expire_date) ON django_session TO django_readonly;
GRANT SELECT (id, password, is_active, username, first_name, last_name, email, is_staff, is_superuser)
  ON auth_user TO django_readonly;

-- Permissions and groups, as ModelBackend reads them (only when a page asks: hasPerm(), /api/me...).
GRANT SELECT (user_id, group_id) ON auth_user_groups TO django_readonly;
GRANT SELECT (user_id, permission_id) ON auth_user_user_permissions TO django_readonly;
GRANT SELECT (id, name) ON auth_group TO django_readonly;
GRANT SELECT (group_id, permission_id) ON auth_group_permissions TO django_readonly;
GRANT SELECT (id, content_type_id, codename) ON auth_permission TO django_readonly;
GRANT SELECT (id, app_label) ON django_content_type TO django_readonly;
