"""Session cases for the db backend: session_data strings and get_user()'s verdict on each."""

import base64
import datetime
import hashlib
import hmac
import pickle
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .common import (
    ALICE, ALLOW_ALL_BACKEND, BOB, CAROL_INACTIVE, COOKIE_SALT, DAVE, DB_ENGINE, DB_KEY_SALT, EVE,
    KEY_A, KEY_B, KEY_NEW, KEY_OLD, KEY_OTHER, KEY_UNICODE, HAS_FALLBACKS, MODEL_BACKEND, ROOT, UNUSABLE,
    DbSessionStore, HttpRequest, Session, auth_dict, auth_hash, b64, create_users, db_encode, delete_users,
    exc_name, flip_char, json_bytes, md5_password, override_for, override_settings, real_login,
    settings_block, sign_obj, sign_raw, signing, verdict, with_,
)


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



def sections():
    return {"session_cases": [run_session_case(c) for c in session_cases()]}
