#!/usr/bin/env python3
"""Golden vectors for Django's password hashers and for what login() writes, from REAL Django.

Usage (from anywhere; paths are resolved from this file):

    /usr/bin/python3 scripts/django/make_hasher_vectors.py        # Debian's Django 3.2 (+ python3-argon2, python3-bcrypt)
    /work/venv52/bin/python scripts/django/make_hasher_vectors.py  # Django 5.2 (+ argon2-cffi, bcrypt)

    -> test/fixtures/vectors/hashers-<major.minor>.json   (--output PATH to write elsewhere, "-" for stdout;
       --check writes nothing and fails when the committed file differs from what this Django writes)

It records, for two PASSWORD_HASHERS configurations ("default": Django's own list and parameters; "fast":
subclasses of every hasher with small work factors, so the tests stay quick):

  * make_password(password, salt, hasher) for every hasher, with fixed salts;
  * check_password(password, encoded) with a recording setter (both versions), and verify_password's
    (valid, must_update) where the version has it (4.2+), for right and wrong passwords, other hashers,
    older parameters, short salts, unusable and unknown hashes;
  * upgrades: a hash made with fewer iterations (and one of another hasher), and the hash Django's
    AbstractBaseUser.check_password setter saves in its place, the new salt fixed so the bytes repeat;
  * login(): the session dict a real login() leaves, its signed session_data (db engine) at a frozen
    time, expire_date, the Set-Cookie header SessionMiddleware sends and its Vary header, last_login;
  * the pickle Django's cache backends store for that session dict, and for a richer one (every JSON kind,
    repeated keys, 1,200-item lists): django_redis's PickleSerializer and pymemcache's pickle serde (where
    the Python sees them), Django 4.0+'s own RedisCache; and django-redis's JSONSerializer bytes for both;
  * with PickleSerializer (Django before 5.0): SessionStore.encode() (db engine) and the signed_cookies
    engine's cookie for both sessions, at the frozen time.

Deterministic: fixed salts, keys, clock and session key; sorted keys in the output.
"""

# check-fixtures: django 3.2 5.2

import argparse
import datetime
import json
import os
import sys
from unittest import mock

import fixture_output

import django
from django.conf import settings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GENERATED_BY = "scripts/django/make_hasher_vectors.py"
VERSION = "%d.%d" % django.VERSION[:2]

SECRET_KEY = "django-insecure-hasher-vectors-key-0123456789abcdefghijklmnop"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
FROZEN_NOW = datetime.datetime(2026, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
UPGRADE_SALT = "UpgradedSaltUpgraded22"

PASSWORDS = ["correct horse battery staple", "pässwörd ✓", "", "x" * 100, "with $ and : and \\"]
SALTS = ["seasalt1234567890abcdef", "NaClNaCl", "a" * 22]

settings.configure(
    SECRET_KEY=SECRET_KEY,
    USE_TZ=True,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"],
    PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.contrib.auth import hashers  # noqa: E402
from django.contrib.auth.hashers import check_password, get_hasher, make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402


class FastPBKDF2PasswordHasher(hashers.PBKDF2PasswordHasher):
    iterations = 1000


class FastPBKDF2SHA1PasswordHasher(hashers.PBKDF2SHA1PasswordHasher):
    iterations = 1000


class FastArgon2PasswordHasher(hashers.Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1


class FastBCryptSHA256PasswordHasher(hashers.BCryptSHA256PasswordHasher):
    rounds = 4


FAST = [FastPBKDF2PasswordHasher, FastPBKDF2SHA1PasswordHasher, FastArgon2PasswordHasher, FastBCryptSHA256PasswordHasher]
if hasattr(hashers, "ScryptPasswordHasher"):
    class FastScryptPasswordHasher(hashers.ScryptPasswordHasher):
        work_factor = 2 ** 8
        parallelism = 1

    FAST.append(FastScryptPasswordHasher)


def describe(cls):
    """The class attributes a port needs to build the same hasher."""
    names = ["iterations", "time_cost", "memory_cost", "parallelism", "rounds", "work_factor", "block_size"]
    return {"algorithm": cls.algorithm, "path": "%s.%s" % (cls.__module__, cls.__name__),
            "params": {n: getattr(cls, n) for n in names if hasattr(cls, n)}}


def default_paths():
    from django.conf import global_settings
    return list(global_settings.PASSWORD_HASHERS)


CONFIGS = {
    "default": default_paths(),
    "fast": ["__main__." + cls.__name__ for cls in FAST],
}


def configs_block():
    out = {}
    for name, paths in CONFIGS.items():
        with override_settings(PASSWORD_HASHERS=paths):
            out[name] = [describe(type(h)) for h in hashers.get_hashers()]
    return out


def salt_for(algorithm, salt, hasher):
    if algorithm == "bcrypt_sha256":
        # bcrypt takes its own salt form: the prefix and cost, then 22 characters of its base64, the last
        # one carrying only two bits (bcrypt 4+ refuses a salt whose unused bits are set).
        prefix = "$2b$%02d$" % hasher.rounds
        return (prefix + (salt * 22)[:21] + "e").encode("ascii")
    return salt


def make_cases():
    cases = []
    for config, paths in CONFIGS.items():
        with override_settings(PASSWORD_HASHERS=paths):
            for hasher in hashers.get_hashers():
                # Django's own work factors cost up to a second each: one case per hasher is enough there.
                passwords = PASSWORDS if config == "fast" else PASSWORDS[:1]
                salts = SALTS if config == "fast" else SALTS[:1]
                for password in passwords:
                    for salt in salts:
                        used = salt_for(hasher.algorithm, salt, hasher)
                        cases.append({
                            "config": config, "hasher": hasher.algorithm, "password": password,
                            "salt": used.decode("ascii") if isinstance(used, bytes) else used,
                            "encoded": make_password(password, used, hasher.algorithm),
                        })
    return cases


def verdict(password, encoded):
    calls = []
    valid = check_password(password, encoded, setter=calls.append)
    out = {"valid": valid, "setter_called": bool(calls)}
    if hasattr(hashers, "verify_password"):
        out["verify_password"] = list(hashers.verify_password(password, encoded))
    return out


def check_cases(made):
    cases = []

    def add(config, name, password, encoded):
        with override_settings(PASSWORD_HASHERS=CONFIGS[config]):
            cases.append(dict({"config": config, "name": name, "password": password, "encoded": encoded}, **verdict(password, encoded)))

    for case in made:
        add(case["config"], "right password, " + case["hasher"], case["password"], case["encoded"])
        add(case["config"], "wrong password, " + case["hasher"], case["password"] + "!", case["encoded"])
    fast = [c for c in made if c["config"] == "fast"]
    for case in fast:
        # Every fast hash against Django's default list: another work factor, so must_update.
        add("default", "fast hash under the defaults, " + case["hasher"], case["password"], case["encoded"])
    with override_settings(PASSWORD_HASHERS=CONFIGS["fast"]):
        short_salt = make_password("pw", "short", "pbkdf2_sha256")
        lower = get_hasher("pbkdf2_sha256").encode("pw", "seasalt1234567890abcdef", 10)
        bcrypt_2a = make_password("pw", b"$2a$04$abcdefghijklmnopqrstuu", "bcrypt_sha256")
    add("fast", "short salt", "pw", short_salt)
    add("fast", "fewer iterations", "pw", lower)
    add("fast", "fewer iterations, wrong password (harden_runtime)", "px", lower)
    add("fast", "unusable", "pw", "!" + "a" * 40)
    add("fast", "unknown algorithm", "pw", "md5$salt$0123456789abcdef0123456789abcdef")
    add("fast", "argon2i, older variety", "pw", "argon2$argon2i$v=19$m=64,t=1,p=1$c2Vhc2FsdDEyMzQ1Njc4OTBhYmNkZWY$" + argon2_raw(b"pw", b"seasalt1234567890abcdef", "I"))
    add("fast", "bcrypt 2a prefix", "pw", bcrypt_2a)
    return cases


def argon2_raw(password, salt, kind):
    import argon2
    raw = argon2.low_level.hash_secret_raw(password, salt, time_cost=1, memory_cost=64, parallelism=1, hash_len=16,
                                           type=getattr(argon2.low_level.Type, kind))
    import base64
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def upgrade_cases():
    """What AbstractBaseUser.check_password's setter saves, with the new salt fixed."""
    from django.contrib.auth.models import User
    cases = []

    def upgrade(config, name, password, stored):
        with override_settings(PASSWORD_HASHERS=CONFIGS[config]):
            preferred = type(get_hasher())
            user = User(username="upgrade", password=stored)
            with mock.patch.object(preferred, "salt", lambda self: UPGRADE_SALT), mock.patch.object(User, "save"):
                valid = user.check_password(password)
            cases.append({"config": config, "name": name, "password": password, "stored": stored, "valid": valid,
                          "upgraded": user.password, "new_salt": UPGRADE_SALT})

    with override_settings(PASSWORD_HASHERS=CONFIGS["default"]):
        default_iterations = get_hasher().iterations
        half = get_hasher().encode("pw", "seasalt1234567890abcdef", default_iterations // 2)
    upgrade("default", "half the default iterations", "pw", half)
    with override_settings(PASSWORD_HASHERS=CONFIGS["fast"]):
        sha1 = make_password("pw", "seasalt1234567890abcdef", "pbkdf2_sha1")
        lower = get_hasher().encode("pw", "seasalt1234567890abcdef", 10)
    upgrade("fast", "fewer iterations", "pw", lower)
    upgrade("fast", "another hasher", "pw", sha1)
    upgrade("fast", "wrong password is not upgraded", "px", lower)
    return cases


def frozen(now):
    """Freezes both clocks Django reads here: time.time() (signing, cookie expiry) and timezone.now()."""
    return [mock.patch("time.time", lambda: now.timestamp()), mock.patch("django.utils.timezone.now", lambda: now)]


def login_cases():
    from django.contrib.auth import login
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    call_command("migrate", verbosity=0, interactive=False)
    cases = []
    with override_settings(PASSWORD_HASHERS=CONFIGS["fast"]):
        user = User.objects.create(id=42, username="alice", password=make_password("pw", "seasalt1234567890abcdef"),
                                   is_staff=True, last_login=None)
    cookie_attributes = {"SESSION_COOKIE_AGE": 3600, "SESSION_COOKIE_DOMAIN": ".example.com", "SESSION_COOKIE_PATH": "/app",
                         "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": False, "SESSION_COOKIE_SAMESITE": "Strict",
                         "SESSION_COOKIE_NAME": "sid"}
    other_user = {"_auth_user_id": "7", "_auth_user_backend": MODEL_BACKEND, "_auth_user_hash": "0" * 64, "cart": [1]}
    variants = [
        # (name, settings, the visitor's session before login(), or None for no session cookie)
        ("defaults", {}, None),
        ("anonymous session kept", {}, {"cart": [1, 2], "visited": True}),
        ("another user's session flushed", {}, other_user),
        ("cookie attributes", cookie_attributes, {"cart": [3]}),
        ("expire at browser close", {"SESSION_EXPIRE_AT_BROWSER_CLOSE": True, "SESSION_COOKIE_SAMESITE": None}, None),
    ]
    for name, overrides, before in variants:
        with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db", **overrides):
            patches = frozen(FROZEN_NOW)
            for p in patches:
                p.start()
            try:
                request = RequestFactory().post("/accounts/login/")
                old_key = None
                if before is not None:
                    old = SessionStore()
                    old.update(before)
                    old.create()
                    old_key = old.session_key
                    request.COOKIES[settings.SESSION_COOKIE_NAME] = old_key

                def view(request):
                    login(request, user, backend=MODEL_BACKEND)
                    return HttpResponse("ok")

                response = SessionMiddleware(view)(request)
                key = request.session.session_key
                row = SessionStore().model.objects.get(session_key=key)
                user.refresh_from_db()
                cases.append({
                    "name": name,
                    "settings": overrides,
                    "session_before": before,
                    "old_row_exists": old_key is not None and SessionStore().model.objects.filter(session_key=old_key).exists(),
                    "session_key_is_new": key != old_key and len(key) == 32,
                    "session": dict(request.session.items()),
                    "session_data": row.session_data,
                    "expire_date": row.expire_date.isoformat(),
                    # The new key is random: the cookie is recorded with it replaced.
                    "set_cookie": response.cookies[settings.SESSION_COOKIE_NAME].output(header="").strip().replace(key, "<key>"),
                    "vary": response.get("Vary"),
                    "last_login": user.last_login.isoformat(),
                    "csrf_rotated": bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED")),
                })
            finally:
                for p in reversed(patches):
                    p.stop()
                SessionStore().model.objects.all().delete()
                User.objects.filter(pk=user.pk).update(last_login=None)
    return {"user": {"id": user.pk, "username": user.username, "password": user.password}, "cases": cases}


def cache_pickle_cases(session):
    out = []
    try:
        from django_redis.serializers.pickle import PickleSerializer
        out.append({"backend": "django_redis.cache.RedisCache", "serializer": "django_redis.serializers.pickle.PickleSerializer",
                    "flags": None, "bytes": PickleSerializer({}).dumps(session).hex()})
    except ImportError:
        pass
    try:
        from pymemcache.serde import pickle_serde
        value, flags = pickle_serde.serialize("key", session)
        out.append({"backend": "django.core.cache.backends.memcached.PyMemcacheCache", "serializer": "pymemcache.serde.pickle_serde",
                    "flags": flags, "bytes": value.hex()})
    except ImportError:
        pass
    if django.VERSION >= (4, 0):
        from django.core.cache.backends.redis import RedisSerializer
        out.append({"backend": "django.core.cache.backends.redis.RedisCache", "serializer": "django.core.cache.backends.redis.RedisSerializer",
                    "flags": None, "bytes": RedisSerializer().dumps(session).hex()})
    return out


def cache_json_cases(session_json):
    """django-redis's JSONSerializer (json.dumps with cls=DjangoJSONEncoder) of json.loads(session_json)."""
    try:
        from django_redis.serializers.json import JSONSerializer
    except ImportError:
        return []
    return [{"backend": "django_redis.cache.RedisCache", "serializer": "django_redis.serializers.json.JSONSerializer",
             "session_json": session_json, "bytes": JSONSerializer({}).dumps(json.loads(session_json)).hex()}]


def pickle_session_cases(session_json):
    """SESSION_SERIALIZER = PickleSerializer: the db engine's session_data and the signed_cookies engine's cookie."""
    try:
        from django.contrib.sessions.serializers import PickleSerializer  # noqa: F401  (gone in Django 5.0)
    except ImportError:
        return []
    from django.contrib.sessions.backends.db import SessionStore as DbStore
    from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore
    session = json.loads(session_json)
    with override_settings(SECRET_KEY=SECRET_KEY, SESSION_SERIALIZER="django.contrib.sessions.serializers.PickleSerializer"):
        patches = frozen(FROZEN_NOW)
        for p in patches:
            p.start()
        try:
            cookie = CookieStore()
            cookie.update(session)
            return [{"session_json": session_json, "timestamp": int(FROZEN_NOW.timestamp()),
                     "db": DbStore().encode(session), "signed_cookies": cookie._get_session_key()}]
        finally:
            for p in reversed(patches):
                p.stop()


# A session of every JSON kind (as json.loads would hand it to the engine: its repeated keys one object each,
# one-character strings CPython's singletons), for the pickle writer's byte-for-byte check.
RICH_SESSION_JSON = json.dumps({
    "_auth_user_id": "42", "none": None, "yes": True, "no": False, "byte": 7, "short": 1000, "int": 70000,
    "negative": -5, "min32": -2147483648, "long": 2 ** 70, "neg_long": -(2 ** 40), "float": 1.5, "text": "h\u00e9llo \u2713",
    "a": "a", "empty": "", "x300": "x" * 300, "list": [1, "a", [2], {"a": 1}], "single": ["only"],
    "rows": [{"id": i, "name": "n%d" % i} for i in range(30)], "many": list(range(1200)),
})


def build():
    made = make_cases()
    login = login_cases()
    with override_settings(PASSWORD_HASHERS=CONFIGS["default"]):
        default_iterations = get_hasher().iterations
    return {
        "django_version": django.get_version(),
        "generated_by": GENERATED_BY,
        "secret_key": SECRET_KEY,
        "pbkdf2_default_iterations": default_iterations,
        "configs": configs_block(),
        "make_password": made,
        "check_password": check_cases(made),
        "upgrades": upgrade_cases(),
        "login": login,
        "cache_pickles": [dict(c, session=login["cases"][1]["session"]) for c in cache_pickle_cases(login["cases"][1]["session"])],
        # The dict as JSON text, so its key order survives; the bytes are each backend's pickle of json.loads(it).
        "cache_pickles_rich": [dict(c, session_json=RICH_SESSION_JSON) for c in cache_pickle_cases(json.loads(RICH_SESSION_JSON))],
        "cache_json": cache_json_cases(RICH_SESSION_JSON) + cache_json_cases(json.dumps(login["cases"][1]["session"])),
        "pickle_sessions": pickle_session_cases(RICH_SESSION_JSON) + pickle_session_cases(json.dumps(login["cases"][1]["session"])),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    fixture_output.add_arguments(parser, os.path.join(REPO, "test", "fixtures", "vectors", "hashers-%s.json" % VERSION))
    args = parser.parse_args()
    text = json.dumps(build(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    fixture_output.emit(text, args, "scripts/django/make_hasher_vectors.py", VERSION)

if __name__ == "__main__":
    main()
