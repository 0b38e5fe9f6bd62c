-- The least a MySQL / MariaDB user needs to log visitors in and out and change their passwords from Node
-- (DATABASE_WRITE_URL). It is a second user: the read side keeps its SELECT-only one (read-only-mysql.sql),
-- and without DATABASE_WRITE_URL nothing writes. Run it as an administrator (root) of Django's server:
--
--   mariadb -u root -p < docs/write-role-mysql.sql      (or: mysql -u root -p < docs/write-role-mysql.sql)
--
-- then set DATABASE_WRITE_URL=mysql://django_writer:<the password>@<host>:3306/django
--
-- Adapt four names to your site: django_writer (the user), the password, django (the database) and, with a
-- custom AUTH_USER_MODEL, auth_user (its table). '%' lets the user connect from any host: narrow it to the
-- service's address. test/django-writes.test.ts runs log-in, log-out and password changes under exactly
-- these statements, next to real Django.

CREATE USER 'django_writer'@'%' IDENTIFIED BY 'change-me';

-- login() saves the session under a new key and deletes the old row; logout() deletes it; every save reads
-- the visitor's row first, as SessionStore.load() does.
GRANT SELECT, INSERT, UPDATE, DELETE ON django.django_session TO 'django_writer'@'%';

-- update_last_login, check_password's re-hash of an outdated hash, and set_password. MySQL asks SELECT on a
-- column an UPDATE's WHERE reads: the primary key, and nothing else.
GRANT UPDATE (last_login, password), SELECT (id) ON django.auth_user TO 'django_writer'@'%';
