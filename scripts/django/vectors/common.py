"""What every topic module shares: Django configured standalone, fixed keys, clocks and users, and helpers.

Importing this module configures Django (settings.configure: in-memory sqlite, auth + contenttypes +
sessions, USE_TZ=True, fast MD5 password hasher) and runs `migrate` in memory, once per process.

Reproducibility rules for every topic: no wall clock (use NOW / frozen_signing_time), no random salt or
key (fix them), no set or dict whose order depends on hashing; the entry point writes the sections in a
fixed order.
"""

import contextlib
import datetime
import logging
import math
import os
import types
from importlib import import_module
from unittest import mock

import django
from django.conf import global_settings, settings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
GENERATED_BY = "scripts/django/make_vectors.py"

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ALLOW_ALL_BACKEND = "django.contrib.auth.backends.AllowAllUsersModelBackend"
DB_ENGINE = "django.contrib.sessions.backends.db"
COOKIE_ENGINE = "django.contrib.sessions.backends.signed_cookies"
COOKIE_SALT = "django.contrib.sessions.backends.signed_cookies"
AUTH_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"

# Fixed "current time" used for signing (and for the signed-cookie max_age check).
NOW = 1700000000  # 2023-11-14T22:13:20Z
SIGNED_AT = NOW - 3600

KEY_A = "django-insecure-vectors-key-A-0123456789abcdefghijklmnopqrstuvwxyz"
KEY_B = "another secret key, B: !@#$%^&*()_+-=[]{};:,./<>?"
KEY_UNICODE = "clé secrète ✓ 日本語 🔑"
KEY_OLD = "old-rotated-secret-key-that-is-now-only-a-fallback"
KEY_NEW = "new-current-secret-key-after-rotation"
KEY_OTHER = "a-completely-unrelated-secret-key"
KEY_COOKIE = "cookie-vectors-secret-key-7f3a9c"

HAS_FALLBACKS = hasattr(global_settings, "SECRET_KEY_FALLBACKS")  # Django >= 4.1


def configure():
    settings.configure(
        DEBUG=False,
        SECRET_KEY=KEY_A,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
        ],
        USE_TZ=True,
        TIME_ZONE="UTC",
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.MD5PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ],
        SESSION_ENGINE=DB_ENGINE,
        AUTHENTICATION_BACKENDS=[MODEL_BACKEND],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        LOGGING_CONFIG=None,
    )
    django.setup()
    # Django logs "Session data corrupted" etc. on django.security.*; keep stdout/stderr quiet.
    logging.disable(logging.CRITICAL)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


configure()

from django.contrib.auth import get_user, login  # noqa: E402
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core import signing  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils.crypto import salted_hmac  # noqa: E402

DB_KEY_SALT = DbSessionStore().key_salt  # "django.contrib.sessions.SessionStore"
FIXED_DATE = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def frozen_signing_time(ts):
    """Mock the clock used by django.core.signing (TimestampSigner.timestamp / max_age check)."""
    fake_time = types.SimpleNamespace(time=lambda: float(ts))
    with mock.patch.object(signing, "time", fake_time):
        yield


def md5_password(raw, salt):
    return make_password(raw, salt=salt, hasher="md5")


def pbkdf2_password(raw, salt, iterations=260000):
    # A real pbkdf2_sha256 hash string (fixed iterations so it is identical on every version).
    return PBKDF2PasswordHasher().encode(raw, salt, iterations=iterations)


def user_spec(id, username, password, is_active=True, is_staff=False, is_superuser=False,
              first_name="", last_name="", email=""):
    return {
        "id": id,
        "username": username,
        "password": password,
        "is_active": is_active,
        "is_staff": is_staff,
        "is_superuser": is_superuser,
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
    }


def with_(spec, **changes):
    out = dict(spec)
    out.update(changes)
    return out


ALICE = user_spec(1, "alice", md5_password("alice-password", "alicesalt"), email="alice@example.com")
BOB = user_spec(2, "bob", pbkdf2_password("correct horse battery staple", "bobsalt1234567890"),
                first_name="Bob", last_name="Builder")
CAROL_INACTIVE = user_spec(3, "carol", md5_password("carol-password", "carolsalt"), is_active=False)
DAVE = user_spec(7, "dave", md5_password("dave-password", "davesalt"))
EVE = user_spec(10, "eve", md5_password("eve-password", "evesalt"), is_staff=True)
ROOT = user_spec(42, "root", pbkdf2_password("pässwörd ✓ 日本", "rootsalt98765"),
                 is_staff=True, is_superuser=True, first_name="Ünïcødé", last_name="日本")
UNUSABLE = user_spec(5, "nopass", "!" + "Xy7Qp2Lm9Vb4Nc8Rt1Zw6Hs3Kd0Fg5Jq2Ae8Uo")


def create_users(specs):
    for s in specs:
        User.objects.create(date_joined=FIXED_DATE, **s)


def delete_users(specs):
    User.objects.filter(id__in=[s["id"] for s in specs]).delete()


def model_user(spec):
    """Unsaved User instance (only .password matters for the auth hash)."""
    return User(**spec)


def auth_hash(spec_or_password, key, algorithm="sha256"):
    """The _auth_user_hash Django would store, computed by Django under SECRET_KEY=key."""
    password = spec_or_password["password"] if isinstance(spec_or_password, dict) else spec_or_password
    user = User(password=password)
    with override_settings(SECRET_KEY=key):
        if algorithm == "sha256":
            return user.get_session_auth_hash()
        if hasattr(user, "_legacy_get_session_auth_hash"):  # Django 3.1 / 3.2
            return user._legacy_get_session_auth_hash()
        # Django >= 4.0 has no sha1 session-auth hash any more; use Django's salted_hmac with the
        # same key_salt that 3.2's _legacy_get_session_auth_hash used.
        return salted_hmac(AUTH_HASH_SALT, password, algorithm="sha1").hexdigest()


def auth_dict(spec, key, backend=MODEL_BACKEND, algorithm="sha256", **extra):
    d = {
        "_auth_user_id": str(spec["id"]),
        "_auth_user_backend": backend,
        "_auth_user_hash": auth_hash(spec, key, algorithm),
    }
    d.update(extra)
    return d


def db_encode(session_dict, key, ts=SIGNED_AT):
    """SessionStore().encode() -- what the db backend writes into django_session.session_data."""
    with override_settings(SECRET_KEY=key), frozen_signing_time(ts):
        return DbSessionStore().encode(session_dict)


def sign_raw(value, key, salt, ts=SIGNED_AT, algorithm=None):
    """Django's TimestampSigner over an arbitrary (already base64) value."""
    with override_settings(SECRET_KEY=key), frozen_signing_time(ts):
        return signing.TimestampSigner(key=key, salt=salt, algorithm=algorithm).sign(value)


def sign_obj(obj, key, salt, compress=True, ts=SIGNED_AT, algorithm=None):
    with override_settings(SECRET_KEY=key), frozen_signing_time(ts):
        return signing.TimestampSigner(key=key, salt=salt, algorithm=algorithm).sign_object(
            obj, compress=compress)


def b64(data):
    return signing.b64_encode(data).decode()


def json_bytes(obj):
    return signing.JSONSerializer().dumps(obj)


def real_login(spec, key, backend=MODEL_BACKEND, before=None, engine=DB_ENGINE, ts=SIGNED_AT):
    """Run django.contrib.auth.login() on a real request; return the stored session string."""
    backends = [MODEL_BACKEND] if backend == MODEL_BACKEND else [MODEL_BACKEND, backend]
    store_cls = import_module(engine).SessionStore
    with override_settings(SECRET_KEY=key, AUTHENTICATION_BACKENDS=backends, SESSION_ENGINE=engine), \
            frozen_signing_time(ts):
        create_users([spec])
        try:
            request = HttpRequest()
            request.session = store_cls()
            if before:
                for k, v in before.items():
                    request.session[k] = v
            user = User.objects.get(pk=spec["id"])
            login(request, user, backend=backend)
            request.session.save()
            if engine == DB_ENGINE:
                result = Session.objects.get(session_key=request.session.session_key).session_data
            else:
                result = request.session.session_key
        finally:
            delete_users([spec])
            Session.objects.all().delete()
    return result


def flip_char(s, index):
    c = s[index]
    repl = "A" if c != "A" else "B"
    return s[:index] + repl + s[index + 1:]


def exc_name(e):
    return type(e).__name__


def settings_block(secret_key, fallbacks, backends, cookie_age=None):
    block = {
        "secret_key": secret_key,
        # What Django actually used: the setting does not exist before 4.1.
        "secret_key_fallbacks": list(fallbacks) if HAS_FALLBACKS else [],
        "authentication_backends": list(backends),
    }
    if cookie_age is not None:
        block["session_cookie_age"] = cookie_age
    return block


def override_for(secret_key, fallbacks, backends, **extra):
    kwargs = dict(SECRET_KEY=secret_key, AUTHENTICATION_BACKENDS=list(backends), **extra)
    if HAS_FALLBACKS:
        kwargs["SECRET_KEY_FALLBACKS"] = list(fallbacks)
    return override_settings(**kwargs)


def verdict(request):
    try:
        user = get_user(request)
    except Exception as e:  # noqa: BLE001 -- record whatever Django raised
        return {"authenticated": False, "user_id": None, "error": exc_name(e)}
    if user.is_authenticated:
        return {"authenticated": True, "user_id": user.pk, "error": None}
    return {"authenticated": False, "user_id": None, "error": None}


def base62_encode(n):
    if hasattr(signing, "b62_encode"):  # Django >= 4.0
        return signing.b62_encode(n)
    from django.utils import baseconv  # Django < 4.0 (used by TimestampSigner there)
    return baseconv.base62.encode(n)


# The largest integer a JavaScript number holds exactly: past it, fixtures carry the digits.
MAX_SAFE_INT = 2 ** 53 - 1


def tag_number(value):
    """An int or float as a fixture's JSON holds it: {"$int": digits} past 2^53, {"$float": "inf"|"-inf"|"nan"}."""
    if isinstance(value, int):
        return value if -MAX_SAFE_INT <= value <= MAX_SAFE_INT else {"$int": str(value)}
    if math.isnan(value):
        return {"$float": "nan"}
    if math.isinf(value):
        return {"$float": "inf" if value > 0 else "-inf"}
    return value
