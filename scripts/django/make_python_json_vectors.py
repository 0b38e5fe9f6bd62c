#!/usr/bin/env python3
"""Golden vectors for Python's json.loads as Django reads sessions with it, from REAL Django.

Usage (from anywhere; paths are resolved from this file):

    /usr/bin/python3 scripts/django/make_python_json_vectors.py        # Debian's Django 3.2
    /work/venv52/bin/python scripts/django/make_python_json_vectors.py  # Django 5.2
    -> test/fixtures/vectors/python-json-<major.minor>.json  (--output PATH to write elsewhere)
    ... --check    writes nothing; fails when the committed file differs from what this Django writes

Django's JSONSerializer writes with json.dumps (allow_nan=True) and reads with json.loads, so a session may
hold NaN, Infinity and -Infinity; json.loads also keeps the last of duplicated keys, lone surrogates from
\\u escapes, big integers exactly (up to 4,300 digits), and only space, tab, CR and LF as whitespace.

Each case is a JSON text. For the db session engine it is signed as session_data (SessionStore.encode()
itself where it can write the value, else TimestampSigner over the bytes, labelled "hand-built"), stored
in django_session and judged by django.contrib.auth.get_user() on a real HttpRequest; SessionStore.decode()
gives what Django read. For a JSON cache (django-redis's JSONSerializer: json.loads(bytes.decode())), the
text's UTF-8 bytes are loaded the same way. Values JSON cannot carry are tagged: {"$float": "inf" | "-inf" |
"nan"}, {"$int": "<digits>"} past 2^53; user ids are strings for the same reason.

Deterministic: fixed keys, salts and clock, cases in a fixed order, so --check compares byte for byte.
"""

# check-fixtures: django 3.2 5.2

import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fixture_output
from vectors import common  # noqa: E402  (configures Django)
from vectors.common import (  # noqa: E402
    ALICE, DB_KEY_SALT, KEY_A, MODEL_BACKEND, DbSessionStore, HttpRequest, Session, auth_dict, auth_hash, b64,
    create_users, db_encode, delete_users, exc_name, override_settings, sign_raw, verdict, with_,
)
from django.utils import timezone  # noqa: E402

GENERATED_BY = "scripts/django/make_python_json_vectors.py"
ROW_KEY = "pythonjsonsessionkey0123456789ab"
# A primary key JSON.parse would round to 9007199254740992.
BIG = with_(ALICE, id=9007199254740993, username="big")
USERS = [ALICE, BIG]


def tag(value):
    """The value as JSON can hold it, for the fixture."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return common.tag_number(value)
    if isinstance(value, list):
        return [tag(item) for item in value]
    return {key: tag(item) for key, item in value.items()}


def auth_members(spec=ALICE, user_id=None):
    """The three auth keys as JSON members, for hand-built texts."""
    return '"_auth_user_id":%s,"_auth_user_backend":"%s","_auth_user_hash":"%s"' % (
        json.dumps(str(spec["id"])) if user_id is None else user_id, MODEL_BACKEND, auth_hash(spec, KEY_A))


def session_verdict(session_data):
    with override_settings(SECRET_KEY=KEY_A, AUTHENTICATION_BACKENDS=[MODEL_BACKEND]):
        try:
            decoded, decode_error = tag(DbSessionStore().decode(session_data)), None
        except Exception as e:  # noqa: BLE001 -- record whatever Django raised
            decoded, decode_error = None, exc_name(e)
        Session.objects.all().delete()
        create_users(USERS)
        try:
            Session.objects.create(session_key=ROW_KEY, session_data=session_data,
                                   expire_date=timezone.now() + datetime.timedelta(days=1))
            request = HttpRequest()
            request.session = DbSessionStore(ROW_KEY)
            expected = verdict(request)
        finally:
            delete_users(USERS)
            Session.objects.all().delete()
    if expected["user_id"] is not None:
        expected["user_id"] = str(expected["user_id"])
    return decoded, decode_error, expected


def cache_loads(text):
    """django-redis's JSONSerializer.loads over the text's UTF-8 bytes (json.loads(value.decode()))."""
    try:
        return {"value": tag(json.loads(text.encode("utf-8", "surrogatepass").decode())), "error": None}
    except Exception as e:  # noqa: BLE001
        return {"value": None, "error": exc_name(e)}


def cases():
    out = []

    def add(name, description, text, session_data=None):
        """session_data: what Django's own encode() wrote; otherwise the text's Latin-1 bytes are signed."""
        case = {"name": name, "description": description, "text": text}
        if session_data is None:
            try:
                raw = text.encode("latin-1")
            except UnicodeEncodeError:
                raw = None
            session_data = None if raw is None else sign_raw(b64(raw), KEY_A, DB_KEY_SALT)
            case["description"] += " (hand-built text, signed with TimestampSigner)" if raw is not None else " (cache only: not Latin-1)"
        case["session_data"] = session_data
        if session_data is not None:
            case["decoded"], case["decode_error"], case["expected"] = session_verdict(session_data)
        case["cache"] = cache_loads(text)
        out.append(case)

    def encoded(extra):
        session = auth_dict(ALICE, KEY_A, **extra)
        data = db_encode(session, KEY_A)
        return json.dumps(session, separators=(",", ":")), data

    # --- what json.dumps(allow_nan=True) writes: Django's own encode() -----------------------------
    for name, extra in [
        ("float_inf", {"score": float("inf")}),
        ("float_minus_inf", {"score": float("-inf")}),
        ("float_nan", {"score": float("nan")}),
        ("non_finite_nested", {"stats": {"values": [1.5, float("inf"), float("-inf"), float("nan")], "max": float("inf")}}),
        ("floats", {"values": [0.1, -0.0, 1e300, 5e-324, 1.7976931348623157e308, 2.5]}),
        ("big_ints", {"values": [2 ** 53, 2 ** 53 + 1, -(2 ** 63), 10 ** 30, int("9" * 4300)]}),
    ]:
        text, data = encoded(extra)
        add(name, "SessionStore.encode() of alice's login plus %s" % name.replace("_", " "), text, data)
    text = '{%s,"score":Infinity}' % auth_members()
    add("float_inf_hand_built", "Infinity as a bare token", text)
    add("inf_tokens_spaced", "NaN, Infinity and -Infinity between JSON whitespace",
        '{%s, "a" : [ NaN ,\t-Infinity ,\r\nInfinity ] }' % auth_members())

    # --- duplicate keys: the last wins ----------------------------------------------------------
    add("duplicate_user_id_last_wins", "_auth_user_id given twice: bob's id, then alice's",
        '{"_auth_user_id":"2",%s}' % auth_members())
    add("duplicate_user_id_last_is_bad", "_auth_user_id given twice: alice's id, then garbage",
        '{%s,"_auth_user_id":"x"}' % auth_members())
    add("duplicate_nested_keys", "a nested object with a duplicated key", '{%s,"a":{"k":1,"k":2,"j":3}}' % auth_members())

    # --- strings ---------------------------------------------------------------------------------
    add("lone_high_surrogate", "a \\ud800 escape with no low surrogate after it", '{%s,"s":"\\ud800"}' % auth_members())
    add("lone_low_surrogate", "a \\udc00 escape on its own, then a reversed pair",
        '{%s,"s":"x\\udc00y","t":"\\udc00\\ud800"}' % auth_members())
    add("surrogate_pair", "a surrogate pair in two escapes", '{%s,"s":"\\ud83d\\ude00"}' % auth_members())
    add("escapes", "every JSON escape, and Latin-1 bytes as characters",
        '{%s,"s":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u0000","t":"\xe9\xff\x7f"}' % auth_members())
    add("surrogate_escape_in_user_id", "_auth_user_id holding a lone surrogate", '{%s}' % auth_members(user_id='"1\\ud800"'))
    add("bad_escape", "an escape JSON does not have", '{%s,"s":"\\x41"}' % auth_members())
    add("short_unicode_escape", "\\u with three hex digits", '{%s,"s":"\\u12"}' % auth_members())
    add("raw_control_character", "a raw tab inside a string", '{%s,"s":"a\tb"}' % auth_members())
    add("unterminated_string", "a string with no closing quote", '{%s,"s":"abc}' % auth_members())
    add("proto_key", "a \"__proto__\" key in the session", '{%s,"__proto__":{"_auth_user_id":"2"}}' % auth_members())

    # --- numbers ---------------------------------------------------------------------------------
    add("user_id_int", "_auth_user_id as the JSON integer 1", '{%s}' % auth_members(user_id="1"))
    add("user_id_float", "_auth_user_id as the JSON float 1.0", '{%s}' % auth_members(user_id="1.0"))
    add("user_id_exponent", "_auth_user_id as 1e0", '{%s}' % auth_members(user_id="1e0"))
    add("user_id_past_2_53", "_auth_user_id as the JSON integer 9007199254740993 (JSON.parse rounds it)",
        '{%s}' % auth_members(BIG, user_id="9007199254740993"))
    add("user_id_past_2_53_string", "_auth_user_id \"9007199254740993\", as login() writes it", '{%s}' % auth_members(BIG))
    add("user_id_infinity", "_auth_user_id as Infinity", '{%s}' % auth_members(user_id="Infinity"))
    add("user_id_nan", "_auth_user_id as NaN", '{%s}' % auth_members(user_id="NaN"))
    add("float_overflow", "1e400 overflows to inf, -1e400 to -inf, 1e-400 to 0.0",
        '{%s,"a":[1e400,-1E400,1e-400,-0,-0.0]}' % auth_members())
    add("int_4300_digits", "an integer of 4,300 digits (Python 3.11's limit)", '{%s,"n":%s}' % (auth_members(), "7" * 4300))
    add("int_4301_digits", "an integer of 4,301 digits: int() raises ValueError", '{%s,"n":%s}' % (auth_members(), "7" * 4301))
    add("negative_int_4300_digits", "-(4,300 digits): the sign is no digit", '{%s,"n":-%s}' % (auth_members(), "7" * 4300))
    for name, token in [("leading_zero", "01"), ("plus_sign", "+1"), ("bare_fraction", ".5"), ("trailing_dot", "1."),
                        ("empty_exponent", "1e"), ("minus_nan", "-NaN"), ("lower_infinity", "infinity"), ("upper_nan", "NAN"),
                        ("minus_alone", "-"), ("hex", "0x1"), ("inf_short", "Inf")]:
        add("number_%s" % name, "the value %s" % token, '{%s,"n":%s}' % (auth_members(), token))

    # --- whitespace and structure ------------------------------------------------------------------
    add("json_whitespace", "space, tab, CR and LF around every token", ' \t\r\n{ \t\r\n%s \t\r\n} \t\r\n' % auth_members().replace(",", " ,\n "))
    for name, char in [("vertical_tab", "\x0b"), ("form_feed", "\x0c"), ("nbsp", "\xa0"), ("next_line", "\x85"),
                       ("file_separator", "\x1c"), ("nul", "\x00")]:
        add("whitespace_%s" % name, "%r before the object: not JSON whitespace" % char, "%s{%s}" % (char, auth_members()))
        add("whitespace_%s_inside" % name, "%r between members: not JSON whitespace" % char, "{%s%s}" % (auth_members().replace(",", "," + char, 1), ""))
    add("bom_latin1", "the UTF-8 BOM's bytes before the object (Latin-1: three characters)", "\xef\xbb\xbf{%s}" % auth_members())
    add("bom_character", "U+FEFF before the object: json.loads refuses a BOM", "\ufeff{%s}" % auth_members())
    add("trailing_comma_object", "a comma before }", '{%s,}' % auth_members())
    add("trailing_comma_array", "a comma before ]", '{%s,"a":[1,]}' % auth_members())
    add("single_quotes", "a single-quoted string", "{%s,'a':1}" % auth_members())
    add("extra_data", "a second value after the object", '{%s} {}' % auth_members())
    add("empty_text", "no text at all", "")
    add("top_level_array", "a list, not a dict", '[%s]' % json.dumps(str(ALICE["id"])))
    add("nested_400", "400 nested lists beside the auth keys", '{%s,"deep":%s%s}' % (auth_members(), "[" * 400, "]" * 400))
    add("nested_3000", "3,000 nested lists beside the auth keys: RecursionError", '{%s,"deep":%s%s}' % (auth_members(), "[" * 3000, "]" * 3000))
    add("nested_objects_400", "400 nested objects", '{%s,"deep":%s1%s}' % (auth_members(), '{"a":' * 400, "}" * 400))
    return out


def main():
    version = "%d.%d" % common.django.VERSION[:2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    fixture_output.add_arguments(parser, os.path.join(common.REPO, "test", "fixtures", "vectors", "python-json-%s.json" % version))
    args = parser.parse_args()
    document = {
        "django_version": common.django.get_version(),
        "python_version": "%d.%d" % sys.version_info[:2],
        "generated_by": GENERATED_BY,
        "secret_key": KEY_A,
        "users": [dict(user, id=str(user["id"])) for user in USERS],
        "cases": cases(),
    }
    names = [case["name"] for case in document["cases"]]
    assert len(names) == len(set(names)), "duplicate case names"
    text = json.dumps(document, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
    fixture_output.emit(text, args, GENERATED_BY, version, "%d cases" % len(document["cases"]))

if __name__ == "__main__":
    main()
