-- The least a PostgreSQL role needs to run django-session-bridge: read, nothing else, on the columns the
-- service reads. Run it in Django's database as a superuser or as the owner of Django's tables:
--
--   psql "$DJANGO_DATABASE_ADMIN_URL" -v password="$(openssl rand -hex 24)" -f docs/read-only-role.sql
--
-- then set DATABASE_URL=postgresql://django_readonly:<that password>@<host>/django
--
-- Adapt three names to your site: django_readonly (the role), django (the database) and, with a custom
-- AUTH_USER_MODEL, auth_user (its table; the columns are AbstractUser's). The signed_cookies engine never
-- reads django_session: leave that GRANT out. test/read-only.test.ts runs the service under exactly these
-- statements (see the README, "Security and operations").

CREATE ROLE django_readonly LOGIN PASSWORD :'password';

-- Even a statement the grants would allow could never write: every transaction of this role is read-only.
ALTER ROLE django_readonly SET default_transaction_read_only = on;

GRANT CONNECT ON DATABASE django TO django_readonly;
GRANT USAGE ON SCHEMA public TO django_readonly;

GRANT SELECT (session_key, session_data, expire_date) ON django_session TO django_readonly;
GRANT SELECT (id, password, is_active, username, first_name, last_name, email, is_staff, is_superuser)
  ON auth_user TO django_readonly;
