#!/usr/bin/env python3
"""Sessions real Django wrote with USE_TZ = False, TIME_ZONE = "America/Chicago", and Django's own verdicts on
them just before and just after they expire, across the end of daylight saving time.

Usage (from anywhere; paths are resolved from this file):

    /usr/bin/python3 scripts/django/make_naive_time_sessions.py [--mysql mysql://root@127.0.0.1:3306] [--check]

Writes test/fixtures/vectors/django-<major.minor>-naive-time.json. Each database gets Django's own `migrate`, a user,
and a session made by `django.contrib.auth.login()` at a frozen wall-clock time; the raw expire_date text is
read back from the database as Django stored it. With --mysql (a server where root may create a database), it
is done on MySQL/MariaDB through python3-mysqldb as well as on Django's built-in SQLite backend.

The clock: with USE_TZ = False, Django's timezone.now() is a naive datetime.now(); it is frozen by patching
django.utils.timezone.now, which login(), the session's expiry and the session lookup all call. The session
key and the signing time are frozen too, so the output is the same on every run. --check writes nothing and
fails unless the committed file is what this Django writes; the committed files hold both databases, so it
needs --mysql (or MARIADB_ADMIN_URL in the environment, as scripts/django/check-fixtures.sh sets it).
"""
# check-fixtures: django 3.2 5.2

import argparse
import datetime
import json
import os
import sys
import tempfile
from unittest import mock
from urllib.parse import urlparse

import fixture_output

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SECRET_KEY = "naive-time-vectors-secret-key-0123456789"
TIME_ZONE = "America/Chicago"
# Logged in on Saturday 2026-10-31, 12:00 CDT; SESSION_COOKIE_AGE of 1 day expires it at 12:00 on Sunday
# 2026-11-01, wall clock, after clocks fell back from CDT (UTC-5) to CST (UTC-6) at 02:00 that night.
LOGIN_AT = datetime.datetime(2026, 10, 31, 12, 0, 0, 250000)
AGE = 24 * 3600
SESSION_KEY = "naivetime0123456789abcdefghijklmn"


def instant(wall):
    """The UTC instant of a Chicago wall-clock time (none of these is in a fold or a gap)."""
    from zoneinfo import ZoneInfo

    return wall.replace(tzinfo=ZoneInfo(TIME_ZONE)).astimezone(datetime.timezone.utc)


def configure(database):
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY=SECRET_KEY,
        USE_TZ=False,
        TIME_ZONE=TIME_ZONE,
        SESSION_COOKIE_AGE=AGE,
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"],
        DATABASES={"default": database},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()


def run(label, database):
    from django.contrib.auth import get_user, login
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpRequest

    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.create(username="chicago", password="md5$naivesalt$" + "0" * 32)
    signed_at = instant(LOGIN_AT).timestamp()
    with mock.patch("django.utils.timezone.now", return_value=LOGIN_AT), \
            mock.patch("django.core.signing.time.time", return_value=signed_at), \
            mock.patch.object(SessionStore, "_get_new_session_key", return_value=SESSION_KEY):
        request = HttpRequest()
        request.session = SessionStore()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.save()
    key = request.session.session_key
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data, expire_date FROM django_session WHERE session_key = %s", [key])
        data, expire = cursor.fetchone()
        if label == "sqlite":
            cursor.execute("SELECT CAST(expire_date AS TEXT) FROM django_session WHERE session_key = %s", [key])
        else:
            cursor.execute("SELECT CAST(expire_date AS CHAR) FROM django_session WHERE session_key = %s", [key])
        (expire_text,) = cursor.fetchone()

    def verdict(wall):
        with mock.patch("django.utils.timezone.now", return_value=wall):
            request = HttpRequest()
            request.session = SessionStore(key)
            return get_user(request).is_authenticated

    checks = []
    for offset in (-1, 1):
        wall = expire + datetime.timedelta(seconds=offset)
        checks.append({"wall_clock": wall.isoformat(sep=" "), "instant": instant(wall).isoformat(), "authenticated": verdict(wall)})
    return {
        "database": label,
        "session_key": key,
        "session_data": data,
        "expire_date": expire_text,
        "user": {"id": user.id, "username": user.username, "password": user.password},
        "checks": checks,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mysql", default=os.environ.get("MARIADB_ADMIN_URL"), help="mysql://root@127.0.0.1:PORT: also write the session on MySQL/MariaDB")
    parser.add_argument("--only", choices=["sqlite", "mysql"], help=argparse.SUPPRESS)
    fixture_output.add_arguments(parser, None)
    args = parser.parse_args()
    if args.check and not args.mysql:
        parser.error("--check needs --mysql: the committed file holds the session Django wrote on MySQL/MariaDB too")
    if args.only:
        # One database per process: Django is configured once.
        if args.only == "sqlite":
            directory = tempfile.mkdtemp()
            configure({"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(directory, "db.sqlite3")})
            print(json.dumps(run("sqlite", {})))
        else:
            url = urlparse(args.mysql)
            import MySQLdb

            name = "naive_time_%d" % os.getpid()
            admin = MySQLdb.connect(host=url.hostname, port=url.port or 3306, user=url.username or "root", passwd=url.password or "")
            admin.cursor().execute("CREATE DATABASE %s CHARACTER SET utf8mb4" % name)
            try:
                configure({"ENGINE": "django.db.backends.mysql", "NAME": name, "HOST": url.hostname, "PORT": str(url.port or 3306),
                           "USER": url.username or "root", "PASSWORD": url.password or "", "OPTIONS": {"charset": "utf8mb4"}})
                print(json.dumps(run("mysql", {})))
            finally:
                admin.cursor().execute("DROP DATABASE %s" % name)
        return
    import subprocess

    sessions = []
    for only in ["sqlite"] + (["mysql"] if args.mysql else []):
        command = [sys.executable, __file__, "--only", only] + (["--mysql", args.mysql] if args.mysql else [])
        sessions.append(json.loads(subprocess.check_output(command)))
    import django

    version = "%d.%d" % django.VERSION[:2]
    result = {
        "generated_by": "scripts/django/make_naive_time_sessions.py",
        "django_version": version,
        "settings": {"SECRET_KEY": SECRET_KEY, "USE_TZ": False, "TIME_ZONE": TIME_ZONE, "SESSION_COOKIE_AGE": AGE},
        "login_at_wall_clock": LOGIN_AT.isoformat(sep=" "),
        "sessions": sessions,
    }
    output = args.output or os.path.join(REPO, "test", "fixtures", "vectors", "django-%s-naive-time.json" % version)
    text = json.dumps(result, indent=2, sort_keys=True) + "\n"
    fixture_output.emit(text, argparse.Namespace(output=output, check=args.check), result["generated_by"], version)

if __name__ == "__main__":
    main()
