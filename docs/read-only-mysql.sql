-- The least a MySQL / MariaDB user needs to run django-session-bridge: SELECT on the columns the service
-- reads, nothing else. Run it as an administrator (root) of Django's server:
--
--   mariadb -u root -p < docs/read-only-mysql.sql      (or: mysql -u root -p < docs/read-only-mysql.sql)
--
-- then set DATABASE_URL=mysql://django_readonly:<the password>@<host>:3306/django
--
-- Adapt four names to your site: django_readonly (the user), the password, django (the database) and, with a
-- custom AUTH_USER_MODEL, auth_user (its table; the columns are AbstractUser's). '%' lets the user connect
-- from any host: narrow it to the service's address. The signed_cookies engine never reads django_session:
-- leave that GRANT out. test/databases/read-only.test.ts runs the service under exactly these statements.

CREATE USER 'django_readonly'@'%' IDENTIFIED BY 'change-me';

GRANT SELECT (session_key, session_data, expire_date) ON django.django_session TO 'django_readonly'@'%';
GRANT SELECT (id, password, is_active, username, first_name, last_name, email, is_staff, is_superuser)
  ON django.auth_user TO 'django_readonly'@'%';

-- What ModelBackend reads for permissions and groups (ctx.state.user.hasPerm, /api/me's permissions).
GRANT SELECT (user_id, group_id) ON django.auth_user_groups TO 'django_readonly'@'%';
GRANT SELECT (user_id, permission_id) ON django.auth_user_user_permissions TO 'django_readonly'@'%';
GRANT SELECT (id, name) ON django.auth_group TO 'django_readonly'@'%';
GRANT SELECT (group_id, permission_id) ON django.auth_group_permissions TO 'django_readonly'@'%';
GRANT SELECT (id, content_type_id, codename) ON django.auth_permission TO 'django_readonly'@'%';
GRANT SELECT (id, app_label) ON django.django_content_type TO 'django_readonly'@'%';
