"""Primitive vectors: session auth hashes, salted_hmac, TimestampSigner objects, base62."""

from .common import (
    ALICE, AUTH_HASH_SALT, BOB, COOKIE_SALT, DB_KEY_SALT, KEY_A, KEY_B, KEY_COOKIE, KEY_OLD, KEY_UNICODE,
    NOW, ROOT, SIGNED_AT, UNUSABLE, auth_dict, auth_hash, base62_encode, override_settings, pbkdf2_password,
    salted_hmac, sign_obj, signing,
)


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



def sections():
    return {
        "auth_hashes": auth_hash_vectors(),
        "salted_hmacs": salted_hmac_vectors(),
        "signed_objects": signed_object_vectors(),
        "base62": base62_vectors(),
    }
