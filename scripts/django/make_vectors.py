#!/usr/bin/env python3
"""Generate golden test vectors for the TypeScript Django session/auth port, using REAL Django.

Usage (from the repository root, or anywhere -- paths are resolved from this file):

    /usr/bin/python3 scripts/django/make_vectors.py             # Debian's Django 3.2 -> test/fixtures/vectors/django-3.2.json
    /opt/django5/bin/python scripts/django/make_vectors.py      # Django 5.2 venv     -> test/fixtures/vectors/django-5.2.json

Options:
    --output PATH   write somewhere else ("-" for stdout)

What it does:
  * configures Django standalone (settings.configure: in-memory sqlite, auth + contenttypes +
    sessions, USE_TZ=True, fast MD5 password hasher) and runs `migrate` in memory;
  * for every session case, inserts the case's users into auth_user and the exact session_data
    string into django_session (expire_date in the future), loads it through the real db
    SessionStore on a real HttpRequest and asks `django.contrib.auth.get_user(request)` for the
    verdict, under `override_settings` for SECRET_KEY / SECRET_KEY_FALLBACKS /
    AUTHENTICATION_BACKENDS;
  * signed-cookie cases do the same with SESSION_ENGINE=django.contrib.sessions.backends.signed_cookies
    (time is mocked inside django.core.signing, so both signing and the max_age check are
    deterministic; the mocked "now" is recorded);
  * the auth_hashes / salted_hmacs / signed_objects / base62 sections call Django's own helpers.

Every value in the output comes from Django itself. The only hand-built input is the pre-3.1
"legacy" session format on Django >= 4.0 (where SessionStore._legacy_encode no longer exists): it
is built with hashlib/hmac exactly as 3.2 does (and on 3.2 the hand-built string is asserted to
be identical to _legacy_encode's). Hand-built *inputs* (tampered/truncated strings, payloads signed
over arbitrary bytes) are labelled in each case's description; the *verdicts* are always Django's.

If Django raises while deciding (e.g. ValidationError for a non-numeric _auth_user_id, TypeError
for a non-dict session), the exception class name is recorded in expected.error and the verdict is
"not authenticated".

The output is deterministic: signing timestamps are mocked, password salts are fixed, and the
file is written with sorted keys. Re-running must produce a byte-identical file.
"""

import argparse
import base64
import contextlib
import datetime
import hashlib
import hmac
import json
import logging
import os
import pickle
import sys
import types
from importlib import import_module
from unittest import mock

import django
from django.conf import global_settings, settings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
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
from django.utils import timezone  # noqa: E402
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


def legacy_encode(session_dict, key):
    """Pre-Django-3.1 session format: base64(sha1_salted_hmac_hex + ':' + json).

    Built by hand with hashlib/hmac exactly as 3.2's SessionBase._legacy_encode/_hash do; on 3.2
    we assert that it equals the real _legacy_encode output and return Django's string.
    """
    serialized = json_bytes(session_dict)
    return legacy_encode_bytes(serialized, key, session_dict)


def legacy_encode_bytes(serialized, key, session_dict=None):
    key_salt = b"django.contrib.sessions" + b"SessionStore"
    derived = hashlib.sha1(key_salt + key.encode("utf-8")).digest()
    digest = hmac.new(derived, msg=serialized, digestmod=hashlib.sha1).hexdigest()
    by_hand = base64.b64encode(digest.encode() + b":" + serialized).decode("ascii")
    store = DbSessionStore()
    if hasattr(store, "_legacy_encode"):
        with override_settings(SECRET_KEY=key):
            real_hash = store._hash(serialized)
            assert real_hash == digest, "hand-built legacy hash differs from Django 3.2's _hash"
            if session_dict is not None:
                real = store._legacy_encode(session_dict)
                assert real == by_hand, "hand-built legacy format differs from Django 3.2's"
                return real
    return by_hand


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


# --------------------------------------------------------------------------------------------
# evaluation with real Django
# --------------------------------------------------------------------------------------------

ROW_KEY = "vectorsessionkey0123456789abcdef"


def run_session_case(c):
    secret_key = c["secret_key"]
    fallbacks = c.get("fallbacks", [])
    backends = c.get("backends", [MODEL_BACKEND])
    users = c["users"]
    data = c["session_data"]
    with override_for(secret_key, fallbacks, backends, SESSION_ENGINE=DB_ENGINE):
        try:
            decoded, decode_error = DbSessionStore().decode(data), None
        except Exception as e:  # noqa: BLE001
            decoded, decode_error = None, exc_name(e)

        Session.objects.all().delete()
        create_users(users)
        try:
            Session.objects.create(
                session_key=ROW_KEY,
                session_data=data,
                expire_date=timezone.now() + datetime.timedelta(days=1),
            )
            assert Session.objects.get(session_key=ROW_KEY).session_data == data
            request = HttpRequest()
            request.session = import_module(settings.SESSION_ENGINE).SessionStore(ROW_KEY)
            expected = verdict(request)
        finally:
            delete_users(users)
            Session.objects.all().delete()
    return {
        "name": c["name"],
        "description": c["description"],
        "settings": settings_block(secret_key, fallbacks, backends),
        "users": users,
        "session_data": data,
        "decoded": decoded,
        "decode_error": decode_error,
        "expected": expected,
    }


def run_cookie_case(c):
    secret_key = c["secret_key"]
    fallbacks = c.get("fallbacks", [])
    backends = c.get("backends", [MODEL_BACKEND])
    age = c.get("cookie_age", 1209600)
    users = c["users"]
    now = c.get("now", NOW)
    with override_for(secret_key, fallbacks, backends, SESSION_ENGINE=COOKIE_ENGINE,
                      SESSION_COOKIE_AGE=age), frozen_signing_time(now):
        create_users(users)
        try:
            request = HttpRequest()
            request.session = import_module(settings.SESSION_ENGINE).SessionStore(c["cookie"])
            expected = verdict(request)
        finally:
            delete_users(users)
    return {
        "name": c["name"],
        "description": c["description"],
        "settings": settings_block(secret_key, fallbacks, backends, cookie_age=age),
        "users": users,
        "cookie": c["cookie"],
        "now": now,
        "expected": expected,
    }


# --------------------------------------------------------------------------------------------
# session cases (db backend)
# --------------------------------------------------------------------------------------------


def session_cases():
    cases = []

    def add(name, description, secret_key, users, session_data, fallbacks=(), backends=(MODEL_BACKEND,)):
        cases.append({
            "name": name, "description": description, "secret_key": secret_key,
            "fallbacks": list(fallbacks), "backends": list(backends), "users": list(users),
            "session_data": session_data,
        })

    A = KEY_A
    logged_alice = db_encode(auth_dict(ALICE, A), A)

    # --- anonymous ---------------------------------------------------------------------------
    add("empty_session", "SessionStore.encode({}): no data at all", A, [ALICE], db_encode({}, A))
    add("anonymous_with_data", "anonymous session with unrelated data and no auth keys", A, [ALICE],
        db_encode({"visits": 3, "cart": [1, 2]}, A))

    # --- logged in -------------------------------------------------------------------------
    add("logged_in_via_login", "session written by django.contrib.auth.login() for alice (md5 password)",
        A, [ALICE], real_login(ALICE, A))
    add("logged_in_via_login_keeps_anonymous_data",
        "login() after anonymous data was set; the anonymous data is kept", KEY_B, [BOB, ALICE],
        real_login(BOB, KEY_B, before={"cart": [3, 4], "theme": "dark"}))
    add("logged_in_sha256", "SessionStore.encode() with _auth_user_id/_auth_user_backend/_auth_user_hash; pbkdf2 password",
        KEY_B, [BOB], db_encode(auth_dict(BOB, KEY_B), KEY_B))
    add("logged_in_superuser_unicode_password_hash", "superuser whose password column is a pbkdf2 hash of a unicode password",
        KEY_B, [ROOT, ALICE], db_encode(auth_dict(ROOT, KEY_B), KEY_B))
    add("logged_in_unusable_password", "user with an unusable ('!...') password still verifies: the hash covers the column",
        A, [UNUSABLE], db_encode(auth_dict(UNUSABLE, A), A))
    add("logged_in_unicode_values", "logged in, session also holds unicode strings (JSON \\u escapes)",
        A, [ALICE], db_encode(auth_dict(ALICE, A, greeting="héllo ✓ 日本", emoji="🔑",
                                          nested={"ünï": ["ç", "日本"]}), A))
    big = auth_dict(DAVE, A, history=["/page/%d" % i for i in range(200)], blob="x" * 2000)
    big_data = db_encode(big, A)
    assert big_data.startswith("."), "expected a compressed payload"
    add("logged_in_compressed", "large dict that Django zlib-compresses (session_data starts with '.')", A, [DAVE], big_data)
    add("logged_in_unicode_secret_key", "SECRET_KEY containing non-ASCII characters (UTF-8 encoded by force_bytes)",
        KEY_UNICODE, [EVE], db_encode(auth_dict(EVE, KEY_UNICODE), KEY_UNICODE))
    add("logged_in_allow_all_backend_active_user", "AllowAllUsersModelBackend stored and configured, active user",
        A, [ALICE], db_encode(auth_dict(ALICE, A, backend=ALLOW_ALL_BACKEND), A),
        backends=[ALLOW_ALL_BACKEND])
    add("logged_in_second_of_two_backends", "session backend is the second entry of AUTHENTICATION_BACKENDS",
        A, [ALICE], real_login(ALICE, A, backend=ALLOW_ALL_BACKEND), backends=[MODEL_BACKEND, ALLOW_ALL_BACKEND])
    add("logged_in_session_expiry_key", "logged in with a _session_expiry key in the data (db backend ignores it when loading)",
        A, [ALICE], db_encode(auth_dict(ALICE, A, _session_expiry=1), A))

    # --- legacy formats ----------------------------------------------------------------------
    legacy_desc = ("pre-3.1 format base64(sha1hex:json)" +
                   (" from SessionStore._legacy_encode()" if hasattr(DbSessionStore, "_legacy_encode")
                    else " built by hand with hashlib/hmac exactly as Django 3.2's _legacy_encode (method absent here)"))
    add("legacy_format_logged_in", "logged in; " + legacy_desc, A, [ALICE], legacy_encode(auth_dict(ALICE, A), A))
    add("legacy_format_anonymous", "anonymous data; " + legacy_desc, A, [ALICE],
        legacy_encode({"visits": 1}, A))
    add("legacy_format_other_key", "logged in, signed with another key; " + legacy_desc, A, [ALICE],
        legacy_encode(auth_dict(ALICE, A), KEY_OTHER))
    legacy_ok = legacy_encode(auth_dict(ALICE, A), A)
    raw = base64.b64decode(legacy_ok)
    tampered_legacy = base64.b64encode(raw.replace(b'"_auth_user_id":"1"', b'"_auth_user_id":"2"')).decode()
    add("legacy_format_tampered", "legacy format whose JSON was edited after hashing (hand-edited); " + legacy_desc,
        A, [ALICE, with_(BOB, password=ALICE["password"])], tampered_legacy)
    add("legacy_format_pickle_payload",
        "legacy format with a correct sha1 hash over pickle bytes (pre-1.6 PickleSerializer style; hand-built bytes)",
        A, [ALICE], legacy_encode_bytes(pickle.dumps(auth_dict(ALICE, A), protocol=2), A))
    add("legacy_sha1_auth_hash", "current signing format but _auth_user_hash is the sha1 (pre-3.1) session auth hash",
        A, [ALICE], db_encode(auth_dict(ALICE, A, algorithm="sha1"), A))
    add("legacy_sha1_signer", "session signed by TimestampSigner(algorithm='sha1') with the session salt (3.1/3.2 accepted it)",
        A, [ALICE], sign_obj(auth_dict(ALICE, A), A, DB_KEY_SALT, algorithm="sha1"))
    add("legacy_sha1_signer_and_sha1_auth_hash", "sha1 signer and sha1 auth hash together (what a 3.0 site wrote)",
        A, [BOB], sign_obj(auth_dict(BOB, A, algorithm="sha1"), A, DB_KEY_SALT, algorithm="sha1"))

    # --- tampering ---------------------------------------------------------------------------
    payload, ts, sig = logged_alice.rsplit(":", 2)
    forged_payload = b64(json_bytes(auth_dict(BOB, A)))
    add("tampered_payload_swapped", "payload replaced by bob's (valid) auth data, alice's timestamp+signature kept (hand-edited)",
        A, [ALICE, BOB], "%s:%s:%s" % (forged_payload, ts, sig))
    add("tampered_payload_char", "one character of the payload changed (hand-edited)", A, [ALICE],
        "%s:%s:%s" % (flip_char(payload, 5), ts, sig))
    add("tampered_timestamp", "timestamp changed (hand-edited)", A, [ALICE],
        "%s:%s:%s" % (payload, flip_char(ts, 0), sig))
    add("tampered_signature", "last character of the signature changed (hand-edited)", A, [ALICE],
        "%s:%s:%s" % (payload, ts, sig[:-1] + ("A" if sig[-1] != "A" else "B")))
    add("signature_uppercased", "signature upper-cased (hand-edited; base64 is case-sensitive)", A, [ALICE],
        "%s:%s:%s" % (payload, ts, sig.upper()))
    add("missing_signature", "last ':<signature>' removed (hand-edited)", A, [ALICE], "%s:%s" % (payload, ts))
    add("missing_timestamp", "'payload:signature' from a plain Signer (no timestamp) with the session salt: the signature "
        "check passes, then splitting off the timestamp fails",
        A, [ALICE], signing.Signer(key=A, salt=DB_KEY_SALT).sign(payload))
    add("truncated", "session_data cut in half (hand-edited)", A, [ALICE], logged_alice[: len(logged_alice) // 2])
    add("trailing_newline", "valid session_data with a trailing newline (hand-edited)", A, [ALICE], logged_alice + "\n")
    add("empty_string", "session_data is the empty string", A, [ALICE], "")
    add("not_base64", "garbage without separators", A, [ALICE], "this is not base64!!!")
    add("not_base64_with_separators", "garbage with two ':' separators", A, [ALICE], "%%%:%%%:%%%")
    add("non_ascii_garbage", "non-ASCII garbage", A, [ALICE], "héllo:wörld:✓")
    add("other_secret_key", "logged in but signed (and hashed) with a different SECRET_KEY", A, [ALICE],
        db_encode(auth_dict(ALICE, KEY_OTHER), KEY_OTHER))
    add("other_secret_key_current_hash", "signed with a different SECRET_KEY, auth hash with the current one", A, [ALICE],
        db_encode(auth_dict(ALICE, A), KEY_OTHER))
    add("wrong_salt_core_signing", "signing.dumps() with the default 'django.core.signing' salt instead of the session salt",
        A, [ALICE], sign_obj(auth_dict(ALICE, A), A, "django.core.signing"))
    add("wrong_salt_signed_cookies", "signed with the signed_cookies backend salt instead of the db SessionStore salt",
        A, [ALICE], sign_obj(auth_dict(ALICE, A), A, COOKIE_SALT))

    # --- key rotation ------------------------------------------------------------------------
    fb = " (SECRET_KEY_FALLBACKS does not exist before Django 4.1)" if not HAS_FALLBACKS else ""
    old_session = db_encode(auth_dict(ALICE, KEY_OLD), KEY_OLD)
    add("fallback_key_signed_and_hashed", "signed and auth-hashed with a key now in SECRET_KEY_FALLBACKS" + fb,
        KEY_NEW, [ALICE], old_session, fallbacks=[KEY_OLD])
    add("fallback_key_second_in_list", "signed and hashed with the 2nd SECRET_KEY_FALLBACKS entry" + fb,
        KEY_NEW, [ALICE], old_session, fallbacks=[KEY_OTHER, KEY_OLD])
    add("fallback_key_signed_current_hash", "signed with a fallback key, auth hash with the current key" + fb,
        KEY_NEW, [ALICE], db_encode(auth_dict(ALICE, KEY_NEW), KEY_OLD), fallbacks=[KEY_OLD])
    add("current_key_signed_fallback_hash", "signed with the current key, auth hash with a fallback key" + fb,
        KEY_NEW, [ALICE], db_encode(auth_dict(ALICE, KEY_OLD), KEY_NEW), fallbacks=[KEY_OLD])
    add("fallback_key_removed", "same session as fallback_key_signed_and_hashed, fallback key removed again",
        KEY_NEW, [ALICE], old_session, fallbacks=[])
    add("fallback_key_removed_signature_only", "signed with the current key, auth hash with an old key that is no longer a fallback",
        KEY_NEW, [ALICE], db_encode(auth_dict(ALICE, KEY_OLD), KEY_NEW), fallbacks=[])

    # --- payload shapes with a valid signature -----------------------------------------------
    add("valid_signature_non_json", "valid TimestampSigner signature over base64 of non-JSON bytes (hand-chosen bytes)",
        A, [ALICE], sign_raw(b64(b"this is { not json"), A, DB_KEY_SALT))
    add("valid_signature_non_json_with_colon",
        "valid signature over base64 of the non-JSON bytes 'abc:def' (hand-chosen bytes)",
        A, [ALICE], sign_raw(b64(b"abc:def"), A, DB_KEY_SALT))
    add("valid_signature_bad_zlib", "valid signature over '.'+base64 of bytes that are not zlib data (hand-chosen bytes)",
        A, [ALICE], sign_raw("." + b64(b"not zlib at all"), A, DB_KEY_SALT))
    add("valid_signature_json_list", "valid signature over a JSON list", A, [ALICE],
        sign_obj(["_auth_user_id", "1"], A, DB_KEY_SALT))
    add("valid_signature_json_string", "valid signature over a JSON string", A, [ALICE],
        sign_obj("_auth_user_id", A, DB_KEY_SALT))
    add("valid_signature_json_number", "valid signature over a JSON number", A, [ALICE], sign_obj(1, A, DB_KEY_SALT))
    add("valid_signature_json_null", "valid signature over JSON null", A, [ALICE], sign_obj(None, A, DB_KEY_SALT))
    add("valid_signature_pickle_payload", "valid signature over base64 of pickle bytes of a logged-in dict (hand-built bytes)",
        A, [ALICE], sign_raw(b64(pickle.dumps(auth_dict(ALICE, A), protocol=2)), A, DB_KEY_SALT))
    dup = ('{"_auth_user_id":"2","_auth_user_backend":"%s","_auth_user_hash":"%s","_auth_user_id":"1"}'
           % (MODEL_BACKEND, auth_hash(ALICE, A))).encode()
    add("valid_signature_duplicate_keys", "valid signature over JSON with _auth_user_id twice (\"2\" then \"1\"; hand-built JSON)",
        A, [ALICE, with_(BOB, password=ALICE["password"])], sign_raw(b64(dup), A, DB_KEY_SALT))
    padded = base64.urlsafe_b64encode(json_bytes(auth_dict(ALICE, A, p="a"))).decode()
    assert padded.endswith("=")
    add("valid_signature_padded_base64", "valid signature over a payload that keeps its '=' base64 padding (hand-built)",
        A, [ALICE], sign_raw(padded, A, DB_KEY_SALT))
    filler = 0
    while True:
        d = auth_dict(ALICE, A, f="?" * filler + ">")
        enc = b64(json_bytes(d))
        if "-" in enc and "_" in enc:
            break
        filler += 1
    std = enc.replace("-", "+").replace("_", "/")
    add("valid_signature_standard_base64_alphabet",
        "valid signature over the payload written with '+' and '/' instead of '-' and '_' (hand-built)",
        A, [ALICE], sign_raw(std, A, DB_KEY_SALT))
    add("valid_signature_latin1_bytes", "valid signature over JSON containing a raw 0xE9 byte (JSONSerializer decodes latin-1)",
        A, [ALICE], sign_raw(b64(b'{"name":"caf\xe9"}'), A, DB_KEY_SALT))

    # --- auth key problems -------------------------------------------------------------------
    def without(d, key):
        d = dict(d)
        del d[key]
        return d

    full = auth_dict(ALICE, A)
    add("missing_user_id", "no _auth_user_id", A, [ALICE], db_encode(without(full, "_auth_user_id"), A))
    add("missing_backend", "no _auth_user_backend", A, [ALICE], db_encode(without(full, "_auth_user_backend"), A))
    add("missing_hash", "no _auth_user_hash", A, [ALICE], db_encode(without(full, "_auth_user_hash"), A))
    add("empty_hash", "_auth_user_hash is ''", A, [ALICE], db_encode(dict(full, _auth_user_hash=""), A))
    add("null_hash", "_auth_user_hash is null", A, [ALICE], db_encode(dict(full, _auth_user_hash=None), A))
    add("uppercase_hash", "_auth_user_hash upper-cased hex", A, [ALICE],
        db_encode(dict(full, _auth_user_hash=full["_auth_user_hash"].upper()), A))
    add("hash_with_other_key", "_auth_user_hash computed with another SECRET_KEY (signature valid)", A, [ALICE],
        db_encode(auth_dict(ALICE, KEY_OTHER), A))
    add("backend_not_configured", "_auth_user_backend is AllowAllUsersModelBackend but only ModelBackend is configured",
        A, [ALICE], db_encode(auth_dict(ALICE, A, backend=ALLOW_ALL_BACKEND), A))
    add("backend_unknown_path", "_auth_user_backend is a dotted path that is not configured (and does not exist)",
        A, [ALICE], db_encode(auth_dict(ALICE, A, backend="myapp.backends.EmailBackend"), A))
    add("backend_not_a_string", "_auth_user_backend is a JSON number", A, [ALICE],
        db_encode(dict(full, _auth_user_backend=1), A))
    add("inactive_user_allow_all_backend", "inactive user, AllowAllUsersModelBackend stored and configured",
        A, [CAROL_INACTIVE], db_encode(auth_dict(CAROL_INACTIVE, A, backend=ALLOW_ALL_BACKEND), A),
        backends=[ALLOW_ALL_BACKEND])
    add("inactive_user_model_backend", "inactive user, ModelBackend", A, [CAROL_INACTIVE],
        db_encode(auth_dict(CAROL_INACTIVE, A), A))
    add("inactive_user_model_backend_both_configured", "inactive user, session says ModelBackend, both backends configured",
        A, [CAROL_INACTIVE], db_encode(auth_dict(CAROL_INACTIVE, A), A), backends=[MODEL_BACKEND, ALLOW_ALL_BACKEND])
    add("user_does_not_exist", "_auth_user_id 999 is not in auth_user", A, [ALICE],
        db_encode(dict(full, _auth_user_id="999"), A))
    add("password_changed_after_login", "login() with the old password; the user row now has a new password",
        A, [with_(ALICE, password=md5_password("new-password", "newsalt"))], logged_alice)
    add("user_deactivated_after_login", "login() while active; the user row is now is_active=false",
        A, [with_(ALICE, is_active=False)], real_login(ALICE, A))
    add("other_users_hash", "bob's _auth_user_id with alice's _auth_user_hash", A, [ALICE, BOB],
        db_encode(dict(full, _auth_user_id="2"), A))
    add("same_password_other_user", "bob's id with alice's hash, and bob's password column equals alice's",
        A, [ALICE, with_(BOB, password=ALICE["password"])], db_encode(dict(full, _auth_user_id="2"), A))

    # --- _auth_user_id shapes (pk.to_python == int(value)) -----------------------------------
    def id_case(name, desc, value, target=ALICE, users=None):
        d = auth_dict(target, A)
        d["_auth_user_id"] = value
        add(name, desc, A, users or [target], db_encode(d, A))

    id_case("user_id_non_numeric", "_auth_user_id 'abc'", "abc")
    id_case("user_id_empty_string", "_auth_user_id ''", "")
    id_case("user_id_spaces", "_auth_user_id ' 7 ' (int() strips whitespace)", " 7 ", DAVE)
    id_case("user_id_newline_tab", "_auth_user_id '\\t7\\n'", "\t7\n", DAVE)
    id_case("user_id_nbsp", "_auth_user_id '\\u00a07' (non-breaking space)", "\u00a07", DAVE)
    id_case("user_id_underscore", "_auth_user_id '1_0' (int() accepts digit separators)", "1_0", EVE)
    id_case("user_id_leading_zeros", "_auth_user_id '007'", "007", DAVE)
    id_case("user_id_plus_sign", "_auth_user_id '+7'", "+7", DAVE)
    id_case("user_id_negative", "_auth_user_id '-1'", "-1")
    id_case("user_id_arabic_indic_digit", "_auth_user_id '\\u0667' (ARABIC-INDIC DIGIT SEVEN)", "\u0667", DAVE)
    id_case("user_id_fullwidth_digit", "_auth_user_id '\\uff17' (FULLWIDTH DIGIT SEVEN)", "\uff17", DAVE)
    id_case("user_id_decimal_string", "_auth_user_id '1.0'", "1.0")
    id_case("user_id_hex_string", "_auth_user_id '0x1'", "0x1")
    id_case("user_id_int", "_auth_user_id is the JSON number 1", 1)
    id_case("user_id_null", "_auth_user_id is JSON null", None)
    id_case("user_id_float_whole", "_auth_user_id is the JSON number 1.0", 1.0)
    id_case("user_id_float_fraction", "_auth_user_id is the JSON number 1.9 (int() truncates)", 1.9)
    id_case("user_id_true", "_auth_user_id is JSON true (int(True) == 1)", True)
    id_case("user_id_false", "_auth_user_id is JSON false (int(False) == 0)", False)
    id_case("user_id_list", "_auth_user_id is the JSON list [1]", [1])
    id_case("user_id_object", "_auth_user_id is a JSON object", {"id": 1})
    id_case("user_id_huge_string", "_auth_user_id '99999999999999999999' (beyond 64-bit)", "99999999999999999999")
    id_case("user_id_huge_number", "_auth_user_id is the JSON number 99999999999999999999", 99999999999999999999)
    id_case("user_id_int64_max", "_auth_user_id '9223372036854775807'", "9223372036854775807")
    id_case("user_id_int64_overflow", "_auth_user_id '9223372036854775808'", "9223372036854775808")

    return cases


# --------------------------------------------------------------------------------------------
# signed cookie cases
# --------------------------------------------------------------------------------------------


def cookie_cases():
    cases = []
    AGE = 1209600

    def add(name, description, secret_key, users, cookie, fallbacks=(), backends=(MODEL_BACKEND,),
            cookie_age=AGE, now=NOW):
        cases.append({
            "name": name, "description": description, "secret_key": secret_key,
            "fallbacks": list(fallbacks), "backends": list(backends), "users": list(users),
            "cookie": cookie, "cookie_age": cookie_age, "now": now,
        })

    K = KEY_COOKIE

    def cookie(d, key=K, ts=SIGNED_AT, salt=COOKIE_SALT, algorithm=None):
        return sign_obj(d, key, salt, compress=True, ts=ts, algorithm=algorithm)

    logged = real_login(ALICE, K, engine=COOKIE_ENGINE)
    add("cookie_logged_in", "cookie produced by login() with the signed_cookies engine", K, [ALICE], logged)
    add("cookie_logged_in_pbkdf2_user", "signed_cookies SessionStore data with auth keys, pbkdf2 password user",
        K, [BOB], cookie(auth_dict(BOB, K)))
    add("cookie_anonymous", "anonymous cookie session with data", K, [ALICE], cookie({"visits": 3, "cart": [1, 2]}))
    add("cookie_compressed", "large logged-in cookie that is zlib-compressed",
        K, [DAVE], cookie(auth_dict(DAVE, K, history=["/p/%d" % i for i in range(100)])))
    add("cookie_expired", "signed SESSION_COOKIE_AGE + 1 seconds before now", K, [ALICE],
        cookie(auth_dict(ALICE, K), ts=NOW - AGE - 1))
    add("cookie_exactly_max_age", "signed exactly SESSION_COOKIE_AGE seconds before now (age > max_age is false)",
        K, [ALICE], cookie(auth_dict(ALICE, K), ts=NOW - AGE))
    add("cookie_short_age_expired", "SESSION_COOKIE_AGE=60 and the cookie was signed 61 seconds ago", K, [ALICE],
        cookie(auth_dict(ALICE, K), ts=NOW - 61), cookie_age=60)
    add("cookie_short_age_fresh", "SESSION_COOKIE_AGE=60 and the cookie was signed 60 seconds ago", K, [ALICE],
        cookie(auth_dict(ALICE, K), ts=NOW - 60), cookie_age=60)
    add("cookie_signed_in_future", "timestamp one hour after now (negative age is accepted)", K, [ALICE],
        cookie(auth_dict(ALICE, K), ts=NOW + 3600))
    p, ts, sig = logged.rsplit(":", 2)
    add("cookie_tampered_payload", "payload replaced by bob's auth data, signature kept (hand-edited)", K, [ALICE, BOB],
        "%s:%s:%s" % (b64(json_bytes(auth_dict(BOB, K))), ts, sig))
    expired = cookie(auth_dict(ALICE, K), ts=NOW - AGE - 100)
    ep, _ets, esig = expired.rsplit(":", 2)
    add("cookie_tampered_timestamp", "expired cookie whose timestamp was bumped to now (hand-edited) to dodge expiry",
        K, [ALICE], "%s:%s:%s" % (ep, base62_encode(NOW), esig))
    add("cookie_tampered_signature", "signature changed (hand-edited)", K, [ALICE],
        "%s:%s:%s" % (p, ts, sig[:-1] + ("A" if sig[-1] != "A" else "B")))
    add("cookie_truncated", "cookie cut in half (hand-edited)", K, [ALICE], logged[: len(logged) // 2])
    add("cookie_other_key", "signed and hashed with another SECRET_KEY", K, [ALICE],
        cookie(auth_dict(ALICE, KEY_OTHER), key=KEY_OTHER))
    old = cookie(auth_dict(ALICE, KEY_OLD), key=KEY_OLD)
    fb = " (SECRET_KEY_FALLBACKS does not exist before Django 4.1)" if not HAS_FALLBACKS else ""
    add("cookie_fallback_key", "signed and hashed with a key now in SECRET_KEY_FALLBACKS" + fb, KEY_NEW, [ALICE], old,
        fallbacks=[KEY_OLD])
    add("cookie_fallback_key_removed", "same cookie as cookie_fallback_key with the fallback removed", KEY_NEW, [ALICE], old)
    add("cookie_db_salt", "signed with the db SessionStore salt instead of the signed_cookies salt", K, [ALICE],
        cookie(auth_dict(ALICE, K), salt=DB_KEY_SALT))
    add("cookie_legacy_sha1_signer", "signed by TimestampSigner(algorithm='sha1') with the signed_cookies salt", K, [ALICE],
        cookie(auth_dict(ALICE, K), algorithm="sha1"))
    add("cookie_json_list", "valid signature over a JSON list", K, [ALICE], cookie([1, 2, 3]))
    add("cookie_non_json", "valid signature over non-JSON bytes (hand-chosen bytes)", K, [ALICE],
        sign_raw(b64(b"{not json"), K, COOKIE_SALT))
    add("cookie_password_changed", "cookie from login(); the user row now has a different password", K,
        [with_(ALICE, password=md5_password("changed", "chsalt"))], logged)
    add("cookie_inactive_user_model_backend", "inactive user, ModelBackend", K, [CAROL_INACTIVE],
        cookie(auth_dict(CAROL_INACTIVE, K)))
    add("cookie_user_id_non_numeric", "_auth_user_id 'abc'", K, [ALICE],
        cookie(dict(auth_dict(ALICE, K), _auth_user_id="abc")))
    return cases


def base62_encode(n):
    if hasattr(signing, "b62_encode"):  # Django >= 4.0
        return signing.b62_encode(n)
    from django.utils import baseconv  # Django < 4.0 (used by TimestampSigner there)
    return baseconv.base62.encode(n)


# --------------------------------------------------------------------------------------------
# primitive vectors
# --------------------------------------------------------------------------------------------


def auth_hash_vectors():
    passwords = [
        ALICE["password"], BOB["password"], ROOT["password"], UNUSABLE["password"],
        "", "plain text password", "héllo ✓ 日本 🔑",
        pbkdf2_password("hunter2", "fixedsalt000000000000", iterations=600000),
    ]
    keys = [KEY_A, KEY_UNICODE, KEY_OLD]
    out = []
    for i, pw in enumerate(passwords):
        for algorithm in ("sha256", "sha1"):
            key = keys[i % len(keys)] if algorithm == "sha256" else keys[(i + 1) % len(keys)]
            out.append({"password": pw, "secret_key": key, "algorithm": algorithm,
                        "hash": auth_hash(pw, key, algorithm)})
    return out


def salted_hmac_vectors():
    rows = [
        ("django.contrib.sessions.SessionStore", "hello", KEY_A, "sha256"),
        ("django.contrib.sessions.SessionStore", "hello", KEY_A, "sha1"),
        (AUTH_HASH_SALT, ALICE["password"], KEY_B, "sha256"),
        (AUTH_HASH_SALT, ALICE["password"], KEY_B, "sha1"),
        ("", "", "", "sha256"),
        ("", "", "", "sha1"),
        ("sälted ✓", "välue 日本", KEY_UNICODE, "sha256"),
        ("sälted ✓", "välue 日本", KEY_UNICODE, "sha1"),
        ("django.core.signingsigner", "eyJhIjoxfQ:1abcde", KEY_OLD, "sha256"),
        ("x" * 200, "y" * 1000, "z" * 150, "sha256"),  # key_salt + secret longer than the block size
        ("x" * 200, "y" * 1000, "z" * 150, "sha1"),
        ("django.contrib.sessions.backends.signed_cookiessigner", "payload:ts", KEY_COOKIE, "sha256"),
    ]
    return [{"key_salt": s, "value": v, "secret": k, "algorithm": a,
             "hexdigest": salted_hmac(s, v, k, algorithm=a).hexdigest()} for s, v, k, a in rows]


def signed_object_vectors():
    rows = [
        ({}, "django.core.signing", KEY_A, False, NOW),
        ({"a": 1}, "django.core.signing", KEY_A, True, NOW),  # compress requested but not worth it
        (auth_dict(ALICE, KEY_A), DB_KEY_SALT, KEY_A, True, SIGNED_AT),
        (auth_dict(ALICE, KEY_A), DB_KEY_SALT, KEY_A, False, SIGNED_AT),
        ({"greeting": "héllo ✓ 日本", "emoji": "🔑"}, COOKIE_SALT, KEY_COOKIE, False, 0),
        ({"greeting": "héllo ✓ 日本", "emoji": "🔑"}, COOKIE_SALT, KEY_COOKIE, True, 61),
        ({"nested": {"list": [1, 2.5, None, True, False, "s"], "obj": {"k": {"k2": []}}}}, "nested.salt", KEY_B, False, 62),
        ({"history": ["/page/%d" % i for i in range(50)]}, DB_KEY_SALT, KEY_B, True, 1234567890),
        ({"blob": "x" * 500, "n": 1}, "salt ✓ unicode", KEY_UNICODE, True, 2 ** 31 - 1),
        ({"blob": "x" * 500, "n": 1}, "salt ✓ unicode", KEY_UNICODE, False, 2 ** 31),
        ({"big": 9007199254740991, "neg": -1, "f": 0.1}, "", KEY_OLD, False, NOW),
        ({"k": "v"}, "django.contrib.sessions.SessionStore", KEY_UNICODE, True, 4102444800),
    ]
    out = []
    for obj, salt, key, compress, ts in rows:
        signed = sign_obj(obj, key, salt, compress=compress, ts=ts)
        # Check the round trip with Django itself.
        with override_settings(SECRET_KEY=key):
            assert signing.TimestampSigner(key=key, salt=salt).unsign_object(signed) == obj
        out.append({"obj": obj, "salt": salt, "key": key, "compress": compress, "signed": signed, "timestamp": ts})
    return out


def base62_vectors():
    values = [0, 1, 9, 10, 35, 36, 61, 62, 63, 3843, 3844, 12345, NOW, 2 ** 31 - 1, 2 ** 32,
              2 ** 53 - 1, 2 ** 53 + 1, 2 ** 64, 99999999999999999999, -1, -62]
    return [{"int": v, "encoded": base62_encode(v)} for v in values]


# --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    version_tag = "%d.%d" % django.VERSION[:2]
    default_out = os.path.join(REPO, "test", "fixtures", "vectors", "django-%s.json" % version_tag)
    parser.add_argument("--output", default=default_out)
    args = parser.parse_args()

    sess = [run_session_case(c) for c in session_cases()]
    cook = [run_cookie_case(c) for c in cookie_cases()]
    for group in (sess, cook):
        names = [c["name"] for c in group]
        assert len(names) == len(set(names)), "duplicate case names"

    doc = {
        "django_version": django.get_version(),
        "generated_by": GENERATED_BY,
        "session_cases": sess,
        "signed_cookie_cases": cook,
        "auth_hashes": auth_hash_vectors(),
        "salted_hmacs": salted_hmac_vectors(),
        "signed_objects": signed_object_vectors(),
        "base62": base62_vectors(),
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        os.makedirs(os.path.dirname(args.output), exist_ok=True)
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote %s (%d session cases, %d signed cookie cases)" % (args.output, len(sess), len(cook)),
              file=sys.stderr)


if __name__ == "__main__":
    main()
