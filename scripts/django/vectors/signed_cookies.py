"""Signed-cookie session cases: cookies under a frozen clock and get_user()'s verdict on each."""

from importlib import import_module

from django.conf import settings

from .common import (
    ALICE, BOB, CAROL_INACTIVE, COOKIE_ENGINE, COOKIE_SALT, DAVE, DB_KEY_SALT, HAS_FALLBACKS, KEY_COOKIE,
    KEY_NEW, KEY_OLD, KEY_OTHER, MODEL_BACKEND, NOW, SIGNED_AT, HttpRequest, auth_dict, b64, base62_encode,
    create_users, delete_users, frozen_signing_time, json_bytes, md5_password, override_for, real_login,
    settings_block, sign_obj, sign_raw, verdict, with_,
)


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



def sections():
    return {"signed_cookie_cases": [run_cookie_case(c) for c in cookie_cases()]}
