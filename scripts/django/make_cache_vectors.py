#!/usr/bin/env python3
"""Golden vectors for sessions kept in Django's cache, written by REAL Django into REAL servers.

Usage (from anywhere; paths are resolved from this file):

    /usr/bin/python3 scripts/django/make_cache_vectors.py     # Debian's Django 3.2 + django-redis + pymemcache
    /path/to/django-5.2-venv/bin/python scripts/django/make_cache_vectors.py   # Django 5.2's own RedisCache

    -> test/fixtures/vectors/cache-django-<major.minor>.json   (--output PATH to write elsewhere, "-" for stdout)

It starts its own redis-server and memcached on free loopback ports (diskless, stopped at the end), then
for every backend configuration (Django 3.2: django_redis.cache.RedisCache with the pickle and the JSON
serializer, each with and without the zlib compressor, and django.core.cache.backends.memcached.PyMemcacheCache;
Django 5.2: django.core.cache.backends.redis.RedisCache) and each session case:

  * saves the session through Django's real cache or cached_db SessionStore under a fixed session key;
  * reads back the raw bytes the backend stored at the cache key (and memcached's flags), straight from
    the server, not through Django;
  * asks django.contrib.auth.get_user() on a real HttpRequest for the verdict.

Some cases overwrite the entry with bytes Django's backend cannot load, or delete it (a cached_db miss), to
record what Django then decides. Users live in an in-memory SQLite database; the vectors list them so a
test can load them into PostgreSQL. Deterministic: fixed keys, salts and dates, sorted keys in the output;
re-running writes an identical file (pickle output depends only on the values and the protocol); --check
writes nothing and fails unless the committed file is what this Django writes.
"""
# check-fixtures: django 3.2 5.2

import argparse
import datetime
import decimal
import hashlib
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import types
import uuid
from unittest import mock

import django
from django.conf import settings

import fixture_output

# A set pickles in iteration order, which follows str hashes: fix the seed so the bytes repeat.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GENERATED_BY = "scripts/django/make_cache_vectors.py"

SECRET_KEY = "django-insecure-cache-vectors-key-0123456789abcdefghijklmnop"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
CACHE_ENGINE = "django.contrib.sessions.backends.cache"
CACHED_DB_ENGINE = "django.contrib.sessions.backends.cached_db"
FIXED_DATE = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
FROZEN_NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
# Far enough ahead that a replayed cached_db row is still unexpired when a test reads it.
EXPIRY_AGE = 10 * 365 * 24 * 3600


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port):
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server on port %d did not start" % port)


def start_server(argv, port):
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for(port)
    return process


REDIS_PORT = free_port()
MEMCACHED_PORT = free_port()
REDIS_URL = "redis://127.0.0.1:%d/0" % REDIS_PORT


def configure():
    settings.configure(
        DEBUG=False,
        SECRET_KEY=SECRET_KEY,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"],
        USE_TZ=True,
        TIME_ZONE="UTC",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        AUTHENTICATION_BACKENDS=[MODEL_BACKEND],
        SESSION_COOKIE_AGE=EXPIRY_AGE,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        LOGGING_CONFIG=None,
    )
    django.setup()
    logging.disable(logging.CRITICAL)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


configure()

from django.contrib.auth import get_user  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from importlib import import_module  # noqa: E402

DJANGO = "%d.%d" % django.VERSION[:2]


def user_spec(id, username, password, is_active=True):
    return {"id": id, "username": username, "password": make_password(password, salt="salt%d" % id, hasher="md5"),
            "is_active": is_active, "is_staff": False, "is_superuser": False,
            "first_name": "", "last_name": "", "email": "%s@example.com" % username}


ALICE = user_spec(101, "alice", "alice-password")
CAROL = user_spec(103, "carol", "carol-password", is_active=False)
USERS = [ALICE, CAROL]


def auth_hash(spec, password=None):
    return User(password=password or spec["password"]).get_session_auth_hash()


def login_dict(spec, **extra):
    d = {"_auth_user_id": str(spec["id"]), "_auth_user_backend": MODEL_BACKEND, "_auth_user_hash": auth_hash(spec)}
    d.update(extra)
    return d


# Values sessions commonly hold besides the login. JSON has no set, bytes or datetime; DjangoJSONEncoder
# turns datetimes and Decimals into strings, so the JSON cases carry plain values only.
PICKLE_EXTRAS = {
    "_language": "fr",
    "cart": [1, 2, (3, "x")],
    "seen": {"a", "b"},
    "flags": {"beta": True, "ratio": 0.25, "none": None},
    "big": 2 ** 70,
    "raw": b"\x00\xff",
    "when": datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc),
    "day": datetime.date(2024, 5, 6),
    "price": decimal.Decimal("12.50"),
    "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "text": "données ✓ 日本",
}
JSON_EXTRAS = {"_language": "fr", "cart": [1, 2, [3, "x"]], "flags": {"beta": True, "ratio": 0.25, "none": None}, "text": "données ✓ 日本"}


def session_cases(extras):
    """(name, description, session dict, what to do to the stored entry) for every configuration."""
    return [
        ("logged_in", "alice logged in, with other values the site keeps", login_dict(ALICE, **extras), None),
        ("logged_in_minimal", "alice logged in, nothing else", login_dict(ALICE), None),
        ("anonymous", "a session with nobody logged in", dict(extras), None),
        ("inactive", "carol logged in, then deactivated", login_dict(CAROL), None),
        ("hash_mismatch", "alice's session from before a password change", dict(login_dict(ALICE), _auth_user_hash=auth_hash(ALICE, "pbkdf2_sha256$1$old$old=")), None),
        ("no_user", "a login for a user that does not exist", dict(login_dict(ALICE), _auth_user_id="999"), None),
        ("garbage", "the entry overwritten with bytes no backend writes", login_dict(ALICE), "garbage"),
        ("integer", "the entry overwritten with an integer, which the backends store as plain digits", login_dict(ALICE), "integer"),
    ]


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def memcached_raw_get(key):
    """The bytes and flags memcached holds for key, over the text protocol (no serde involved)."""
    with socket.create_connection(("127.0.0.1", MEMCACHED_PORT)) as s:
        s.sendall(b"get " + key.encode() + b"\r\n")
        data = b""
        while not data.endswith(b"END\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    if data == b"END\r\n":
        return None
    header, rest = data.split(b"\r\n", 1)
    _, _, flags, length = header.split(b" ")
    return {"hex": rest[: int(length)].hex(), "flags": int(flags)}


def memcached_raw_set(key, value, flags):
    with socket.create_connection(("127.0.0.1", MEMCACHED_PORT)) as s:
        s.sendall(b"set %s %d 0 %d\r\n%s\r\n" % (key.encode(), flags, len(value), value))
        assert s.recv(100) == b"STORED\r\n"


def configurations():
    if django.VERSION < (4, 0):
        def django_redis(serializer, compressor):
            options = {"CLIENT_CLASS": "django_redis.client.DefaultClient"}
            if serializer == "json":
                options["SERIALIZER"] = "django_redis.serializers.json.JSONSerializer"
            if compressor == "zlib":
                options["COMPRESSOR"] = "django_redis.compressors.zlib.ZlibCompressor"
            return {
                "name": "django-redis-%s-%s" % (serializer, compressor),
                "server": "redis", "serializer": serializer, "compressor": compressor,
                "cache": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "OPTIONS": options},
            }
        yield django_redis("pickle", "none")
        yield django_redis("pickle", "zlib")
        yield django_redis("json", "none")
        yield django_redis("json", "zlib")
        yield {"name": "pymemcache", "server": "memcached", "serializer": "pickle", "compressor": "none",
               "cache": {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                         "LOCATION": "127.0.0.1:%d" % MEMCACHED_PORT}}
    else:
        yield {"name": "django-redis-cache", "server": "redis", "serializer": "pickle", "compressor": "none",
               "cache": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
        yield {"name": "django-redis-cache-prefixed", "server": "redis", "serializer": "pickle", "compressor": "none",
               "cache": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                         "KEY_PREFIX": "site:one", "VERSION": 3}}


def raw_entry(config, key):
    if config["server"] == "redis":
        value = redis_client().get(key)
        return None if value is None else {"hex": value.hex(), "flags": None}
    return memcached_raw_get(key)


def overwrite(config, key, how):
    value = {"garbage": b"\x80\x05not a pickle, not zlib, not json", "integer": b"12345"}[how]
    if config["server"] == "redis":
        redis_client().set(key, value, ex=EXPIRY_AGE)
    else:
        # pymemcache's FLAG_INTEGER for the digits, FLAG_PICKLE for the garbage: what it would have to say.
        memcached_raw_set(key, value, 2 if how == "integer" else 1)


def verdict(engine, session_key):
    with override_settings(SESSION_ENGINE=engine):
        request = HttpRequest()
        request.session = import_module(engine).SessionStore(session_key)
        try:
            user = get_user(request)
        except Exception as error:  # Django answers with a server error: recorded, and nobody is logged in.
            return {"authenticated": False, "user_id": None, "error": type(error).__name__}
        return {"authenticated": bool(user.is_authenticated), "user_id": user.pk if user.is_authenticated else None}


def session_key(config, engine, name):
    # Django's alphabet and length; unique per case so that every vector can be replayed into one server.
    return hashlib.sha256(("%s|%s|%s" % (config["name"], engine, name)).encode()).hexdigest()[:32]


def make_case(config, engine, case):
    name, description, data, damage = case
    key = session_key(config, engine, name)
    store = import_module(engine).SessionStore()
    # A new, empty session under a chosen key: loading a key that is not stored yet would reset it.
    store._session_cache = {}
    store._session_key = key
    store.update(data)
    store.set_expiry(EXPIRY_AGE)
    store.save(must_create=True)
    cache_key = store.cache_key
    full_key = caches["default"].make_key(cache_key)
    if damage is not None:
        overwrite(config, full_key, damage)
    row = None
    if engine == CACHED_DB_ENGINE:
        session = Session.objects.get(session_key=key)
        row = {"session_data": session.session_data, "expire_date": session.expire_date.isoformat()}
    out = {
        "name": "%s/%s/%s" % (config["name"], engine.rsplit(".", 1)[1], name),
        "description": description,
        "engine": engine.rsplit(".", 1)[1],
        "session_key": key,
        "cache_key": full_key,
        "stored": raw_entry(config, full_key),
        "row": row,
        "expected": verdict(engine, key),
    }
    if engine == CACHED_DB_ENGINE and damage is None and name == "logged_in":
        # The same session after the cache lost it: Django reads django_session instead.
        caches["default"].delete(cache_key)
        miss = dict(out, name=out["name"] + "_cache_miss", description="evicted from the cache: read from django_session",
                    stored=None, expected=verdict(engine, key))
        return [out, miss]
    return [out]


def generate():
    # One instant for every session: expire_date and the signing timestamp of cached_db's rows.
    fake_time = types.SimpleNamespace(time=lambda: FROZEN_NOW.timestamp())
    with mock.patch.object(timezone, "now", lambda: FROZEN_NOW), mock.patch.object(signing, "time", fake_time):
        return generate_at_frozen_time()


def generate_at_frozen_time():
    for spec in USERS:
        User.objects.create(date_joined=FIXED_DATE, **spec)
    groups = []
    for config in configurations():
        cases = []
        with override_settings(CACHES={"default": config["cache"]}):
            for engine in (CACHE_ENGINE, CACHED_DB_ENGINE):
                # cached_db also writes the session to django_session with SESSION_SERIALIZER (JSON).
                json_only = config["serializer"] == "json" or engine == CACHED_DB_ENGINE
                for case in session_cases(JSON_EXTRAS if json_only else PICKLE_EXTRAS):
                    if engine == CACHED_DB_ENGINE and case[0] not in ("logged_in", "garbage", "inactive"):
                        continue
                    cases.extend(make_case(config, engine, case))
            caches["default"].clear()
        settings_ = config["cache"]
        groups.append({
            "name": config["name"],
            "backend": settings_["BACKEND"],
            "options": settings_.get("OPTIONS", {}),
            "server": config["server"],
            "serializer": config["serializer"],
            "compressor": config["compressor"],
            "key_prefix": settings_.get("KEY_PREFIX", ""),
            "version": settings_.get("VERSION", 1),
            "cases": cases,
        })
        Session.objects.all().delete()
    return {
        "generated_by": GENERATED_BY,
        "django_version": django.get_version(),
        "python_version": "%d.%d" % sys.version_info[:2],
        "secret_key": SECRET_KEY,
        "authentication_backends": [MODEL_BACKEND],
        "users": USERS,
        "configurations": groups,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    fixture_output.add_arguments(parser, os.path.join(REPO, "test", "fixtures", "vectors", "cache-django-%s.json" % DJANGO))
    args = parser.parse_args()
    servers = [start_server(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], REDIS_PORT)]
    try:
        if django.VERSION < (4, 0):
            memcached = [shutil.which("memcached") or "/usr/bin/memcached", "-l", "127.0.0.1", "-p", str(MEMCACHED_PORT), "-U", "0"]
            if os.geteuid() == 0:
                memcached += ["-u", "nobody"]
            servers.append(start_server(memcached, MEMCACHED_PORT))
        vectors = generate()
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
    text = json.dumps(vectors, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    fixture_output.emit(text, args, GENERATED_BY, DJANGO, "%d configurations" % len(vectors["configurations"]))

if __name__ == "__main__":
    main()
