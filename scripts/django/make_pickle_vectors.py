#!/usr/bin/env python3
"""Golden vectors for the TypeScript pickle reader (src/django/pickle.ts), made with real Python and Django.

Usage (Debian's Django 3.2, the last line with PickleSerializer is 4.2):

    /usr/bin/python3 scripts/django/make_pickle_vectors.py      # -> test/fixtures/vectors/pickle.json

Three groups:
  * "values": session-like values pickled by CPython with every protocol 0-5, the allow-listed classes
    included, plus hand-made pickles of opcodes Python 3 no longer writes. Each "expected" is what
    CPython's own pickle.loads() reads back from the bytes, written in the reader's plain mapping (see
    plain() below and the header of src/django/pickle.ts). Only pickles naming allow-listed globals are
    ever loaded here.
  * "refused": hostile pickles (os.system and builtins.eval through __reduce__, nested REDUCE, INST/OBJ,
    persistent ids, extension codes, a huge memo, deep nesting, memo-reference "billion laughs",
    self-references) and malformed ones, each with the reader's verdict. They are built by pickle.dumps or
    by hand and NEVER loaded, except those marked python_loads, which name no global at all and are loaded
    to record the exception CPython raises for them.
  * "sessions": django_session.session_data written by Django's real SessionStore with
    SESSION_SERIALIZER = PickleSerializer (signed + compressed, and the pre-3.1 legacy format), each with
    Django's real get_user() verdict; hostile payloads signed with the key are included with no Django
    verdict (Django would run them), and the reason code the service must give.

Deterministic: signing clocks frozen (the helpers of vectors/common.py), fixed salts, sorted keys.
--check writes nothing and fails unless the committed file is what this Python and Django write.
"""
# check-fixtures: django 3.2

import argparse
import base64
import collections
import datetime
import decimal
import json
import os
import pickle
import sys
import uuid
from unittest import mock

# str hashes decide a set's iteration order, and so the bytes pickled for it: fix them.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fixture_output  # noqa: E402
from vectors import common as mv  # noqa: E402  (configures Django: in-memory sqlite, USE_TZ=True)
from vectors.sessions import run_session_case  # noqa: E402

import django  # noqa: E402
import pytz  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore  # noqa: E402
from django.contrib.sessions.serializers import PickleSerializer  # noqa: E402
from django.core import signing  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils.functional import Promise  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402

GENERATED_BY = "scripts/django/make_pickle_vectors.py"
PICKLE = "django.contrib.sessions.serializers.PickleSerializer"
# What the hostile payloads would run; the HTTP tests check that this file never appears.
MARKER = "/tmp/django-session-bridge-pickle-was-executed"
MAX_SAFE = mv.MAX_SAFE_INT


def b64(data):
    return base64.b64encode(data).decode("ascii")


def plain(value):
    """The reader's mapping, in JSON: bigints, bytes, odd floats and non-str-keyed dicts tagged with $."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return mv.tag_number(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": b64(bytes(value))}
    if type(value) in (list, tuple, set, frozenset):
        return [plain(item) for item in value]
    if type(value) is dict:
        if all(isinstance(key, str) for key in value):
            return {key: plain(item) for key, item in value.items()}
        return {"$map": [[plain(key), plain(item)] for key, item in value.items()]}
    if isinstance(value, datetime.datetime):
        return {"$type": "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$type": "date", "value": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$type": "time", "value": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$type": "timedelta", "days": value.days, "seconds": value.seconds, "microseconds": value.microseconds}
    if isinstance(value, datetime.timezone):
        offset = datetime.datetime(2000, 1, 1, tzinfo=value).isoformat()[19:]
        return {"$type": "timezone", "value": offset}
    if isinstance(value, decimal.Decimal):
        return {"$type": "decimal", "value": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$type": "uuid", "value": str(value)}
    if isinstance(value, Promise):
        return {"$type": "gettext_lazy", "value": value._proxy____args[0]}
    raise TypeError("no plain form for %r" % type(value))


# --------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------

UTC = datetime.timezone.utc
shared = ["shared", 1]


def value_sets():
    """Named values, each pickled with every protocol that can write it."""
    return [
        ("session", {
            "_auth_user_id": "42",
            "_auth_user_backend": mv.MODEL_BACKEND,
            "_auth_user_hash": "0" * 64,
            "_session_expiry": 3600,
            "_language": "fr",
            "cart": [1, 2, 3],
            "flags": {"beta": True, "seen": False, "none": None},
        }),
        ("numbers", {
            "small": [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31 - 1, 2**31, MAX_SAFE, -MAX_SAFE],
            "big": [2**53, -2**53, 2**63, -2**63 - 1, 2**64, 2**1000, -2**2100, 10**300],
            "floats": [0.0, -0.0, 1.5, -2.25, 1e-310, 1.7976931348623157e308, 0.1, float("inf"), float("-inf"), float("nan")],
        }),
        ("text_and_bytes", {
            "ascii": "plain",
            "unicode": "é ✓ 日本語 🔑",
            "controls": "a\nb\r\x00\x1a\\u0041\\",
            "lone_surrogate": "x\ud800y",
            "empty": "",
            "long": "L" * 300,
            "bytes": b"\x00\x01\xfe\xff",
            "empty_bytes": b"",
            "bytearray": bytearray(b"mutable"),
            "empty_bytearray": bytearray(),
        }),
        ("containers", {
            "tuple": (1, "two", (3.0, None)),
            "tuples": [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)],
            "set": {3, 1, 2},
            "frozenset": frozenset({"a"}),
            "empty": [[], {}, set(), frozenset(), ()],
            "shared": [shared, shared, {"again": shared}],
            "int_keys": {1: "one", 2: "two"},
            "mixed_keys": {"s": 1, 2: "int", (1, 2): "tuple", None: "none", b"k": "bytes", frozenset({1}): "fs"},
            "nested": {"a": {"b": {"c": [[[{"d": "deep"}]]]}}},
            "many": list(range(1100)),
        }),
        ("allow_listed", {
            "aware_pytz": datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=pytz.utc),
            "aware_utc": datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC),
            "aware_offset": datetime.datetime(1999, 12, 31, 23, 59, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=-5, minutes=-30), "X")),
            "aware_seconds_offset": datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(seconds=3661, microseconds=5))),
            "paris_summer": pytz.timezone("Europe/Paris").localize(datetime.datetime(2024, 7, 1, 12, 0)),
            "kolkata": pytz.timezone("Asia/Kolkata").localize(datetime.datetime(2024, 2, 29, 0, 0, 1)),
            "naive": datetime.datetime(1, 1, 1),
            "naive_max": datetime.datetime(9999, 12, 31, 23, 59, 59, 999999),
            "fold": datetime.datetime(2024, 11, 3, 1, 30, fold=1),
            "date": datetime.date(2024, 2, 29),
            "time": datetime.time(1, 2, 3, 4),
            "time_tz": datetime.time(23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
            "timedelta": datetime.timedelta(days=-1, seconds=5, microseconds=7),
            "timedelta_big": datetime.timedelta(days=999999999, hours=23),
            "timezone": datetime.timezone(datetime.timedelta(hours=5, minutes=30)),
            "decimal": decimal.Decimal("1.50"),
            "decimal_exp": decimal.Decimal("-1.5E+10"),
            "decimal_nan": decimal.Decimal("NaN"),
            "decimal_inf": decimal.Decimal("-Infinity"),
            "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "uuid_zero": uuid.UUID(int=0),
            "uuid_max": uuid.UUID(int=2**128 - 1),
        }),
        ("django_strings", {
            "safe": mark_safe("<b>bold</b>"),
            "lazy": gettext_lazy("Your cart is empty."),
        }),
    ]


def protocols_for(name):
    # SafeString cannot be pickled below protocol 2 (copyreg recurses forever on a str subclass).
    return range(2, 6) if name == "django_strings" else range(0, 6)


# Opcodes Python 3 reads but no longer writes (Python 2 str, text ints), built by hand and loaded by Python.
HAND_MADE = [
    ("py2_string_quoted", b"(dp0\nS'key'\np1\nS'v\\x41l\\'ue\\n'\np2\ns.", "STRING with escapes, as Python 2 wrote str"),
    ("py2_binstring", b"\x80\x02}q\x00(U\x01aq\x01T\x03\x00\x00\x00bcdq\x02u.", "SHORT_BINSTRING and BINSTRING"),
    ("text_ints", b"(lp0\nI01\naI00\naI42\naI-7\naI010\naI0x1f\naL123456789012345678901234567890L\naL-5\naF1.25\naFinf\na.",
     "INT booleans, octal and hex as the C unpickler's strtol reads them, LONG with and without L, FLOAT"),
    ("dict_opcode", b"(S'a'\nI1\nS'b'\nI2\nd.", "DICT from a MARK"),
    ("pop_and_pop_mark", b"\x80\x02K\x01K\x020(K\x03K\x041\x85\x29\x30.", "POP and POP_MARK discard what they should"),
    ("dup", b"\x80\x02]q\x002\x86.", "DUP: a tuple holding the same list twice"),
    ("text_memo", b"(lp0\nI7\np1\nag1\na.", "PUT and GET with decimal indices"),
    ("equal_keys", b"\x80\x02}(K\x01U\x01aG?\xf0\x00\x00\x00\x00\x00\x00U\x01b\x88U\x01cu.",
     "1, 1.0 and True are one dict key in Python: the first key stays, the last value wins"),
    ("frame_and_stop_trailer", b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x07\x94.trailing bytes", "FRAME, MEMOIZE, bytes after STOP ignored"),
    ("long1_long4", b"\x80\x02(\x8a\x00\x8a\x01\xff\x8b\x02\x00\x00\x00\x00\x80l.", "LONG1 of zero length, LONG1 -1, LONG4 -32768"),
    ("binbytes8_binunicode8", b"\x80\x05\x8e\x02\x00\x00\x00\x00\x00\x00\x00hi\x8d\x02\x00\x00\x00\x00\x00\x00\x00\xc3\xa9\x86.",
     "BINBYTES8 and BINUNICODE8"),
    ("raw_unicode_escape", b"(V\\u00e9\\\\u0041\\U0001f511\nl.", "UNICODE: \\u escapes only after an odd number of backslashes"),
]


def value_cases():
    cases = []
    for name, value in value_sets():
        for protocol in protocols_for(name):
            data = pickle.dumps(value, protocol)
            loaded = pickle.loads(data)
            cases.append({"name": "%s_p%d" % (name, protocol), "protocol": protocol, "pickle": b64(data),
                          "description": "pickle.dumps(%s, protocol=%d)" % (name, protocol),
                          "expected": plain(loaded)})
    for name, data, description in HAND_MADE:
        cases.append({"name": name, "protocol": None, "pickle": b64(data), "description": "hand-made: " + description,
                      "expected": plain(pickle.loads(data))})
    return cases


# --------------------------------------------------------------------------------------------
# refused
# --------------------------------------------------------------------------------------------


class Reduce:
    """An object whose pickle is callable(*args): what an attacker writes. Dumping it runs nothing."""

    def __init__(self, callable_, *args):
        self.callable, self.args = callable_, args

    def __reduce__(self):
        return self.callable, self.args


SHELL = "touch " + MARKER


def hostile():
    evil = Reduce(os.system, SHELL)
    return [
        ("os_system_p0", pickle.dumps(evil, 0), "unsupported_pickle", "os.system via __reduce__, protocol 0 (GLOBAL)"),
        ("os_system_p2", pickle.dumps(evil, 2), "unsupported_pickle", "os.system via __reduce__, protocol 2"),
        ("os_system_p5", pickle.dumps(evil, 5), "unsupported_pickle", "os.system via __reduce__, protocol 5 (STACK_GLOBAL)"),
        ("os_system_in_session", pickle.dumps({"_auth_user_id": "1", "x": evil}, 5), "unsupported_pickle",
         "a session dict with os.system inside"),
        ("builtins_eval", pickle.dumps(Reduce(eval, "__import__('os').system(%r)" % SHELL), 5), "unsupported_pickle",
         "builtins.eval via __reduce__"),
        ("builtins_exec_p0", pickle.dumps(Reduce(exec, "import os; os.system(%r)" % SHELL), 0), "unsupported_pickle",
         "builtins.exec via __reduce__, protocol 0"),
        ("nested_reduce", pickle.dumps(Reduce(decimal.Decimal, Reduce(os.getcwd)), 5), "unsupported_pickle",
         "an allow-listed callable whose argument is another REDUCE of os.getcwd"),
        ("getattr_chain", pickle.dumps(Reduce(getattr, Reduce(__import__, "os"), "system"), 4), "unsupported_pickle",
         "builtins.getattr(__import__('os'), 'system')"),
        ("allow_listed_wrong_shape", pickle.dumps(Reduce(decimal.Decimal, 1, 2), 5), "unsupported_pickle",
         "decimal.Decimal called with arguments it is never pickled with"),
        ("codecs_other_encoding", pickle.dumps(Reduce(__import__("codecs").encode, "x", "rot13"), 2), "unsupported_pickle",
         "_codecs.encode with an encoding other than latin1"),
        ("reconstructor_other_class", pickle.dumps(Reduce(__import__("copyreg")._reconstructor, collections.OrderedDict, dict, {}), 2),
         "unsupported_pickle", "copyreg._reconstructor of a class that is not uuid.UUID"),
        ("not_allow_listed_class", pickle.dumps({"_auth_user_id": "1", "o": collections.OrderedDict(a=1)}, 5), "unsupported_pickle",
         "a harmless class that is simply not on the allow-list (collections.OrderedDict)"),
        ("dotted_stack_global", b"\x80\x04\x8c\x08datetime\x8c\x12datetime.__class__\x93)R.", "unsupported_pickle",
         "STACK_GLOBAL of a dotted attribute path of an allow-listed module"),
        ("allow_listed_module_other_name", b"cuuid\nos\n.", "unsupported_pickle", "an allow-listed module, another name"),
        ("inst", b"(S'%s'\nios\nsystem\n." % SHELL.encode(), "unsupported_pickle", "INST os.system"),
        ("obj_allow_listed_class", b"(cdatetime\ndate\nK\x01K\x01K\x01o.", "unsupported_pickle", "OBJ, even of an allow-listed class"),
        ("persid", b"Pfoo\n.", "unsupported_pickle", "PERSID"),
        ("binpersid", b"\x80\x02U\x03fooQ.", "unsupported_pickle", "BINPERSID"),
        ("ext1", b"\x80\x02\x82\x01.", "unsupported_pickle", "EXT1 (copyreg extension registry)"),
        ("next_buffer", b"\x80\x05\x97.", "unsupported_pickle", "NEXT_BUFFER (out-of-band data)"),
        ("build_on_dict", b"\x80\x02}}U\x01aK\x01sb.", "unsupported_pickle", "BUILD setting attributes on a dict"),
        ("uuid_extra_state", b"\x80\x02cuuid\nUUID\n)\x81}(U\x03intK\x01U\x09__class__K\x02ub.", "unsupported_pickle",
         "uuid.UUID with state beyond int and is_safe"),
        ("protocol_6", b"\x80\x06N.", "unsupported_pickle", "a protocol newer than 5"),
    ]


def huge():
    deep = []
    for _ in range(2000):
        deep = [deep]
    laughs = ["lol"]
    for _ in range(30):
        laughs = [laughs] * 10
    self_list = []
    self_list.append(self_list)
    self_dict = {"_auth_user_id": "1"}
    self_dict["me"] = self_dict
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20000)
    try:
        deep_pickle = pickle.dumps(deep, 5)
    finally:
        sys.setrecursionlimit(old_limit)
    return [
        ("huge_memo", b"\x80\x04N" + b"\x94" * 100001 + b".", "too_large", "MEMOIZE 100001 times: past the memo bound"),
        ("billion_laughs", pickle.dumps(laughs, 5), "too_large", "a list of ten references to a list of ten... 30 levels deep: 10**30 items"),
        ("deep_nesting", deep_pickle, "too_large", "a list nested 2000 deep"),
        ("deep_marks", b"(" * 5000 + b"N.", "too_large", "5000 nested MARKs"),
        ("self_list", pickle.dumps(self_list, 5), "unsupported_pickle", "a list that contains itself"),
        ("self_dict", pickle.dumps(self_dict, 2), "unsupported_pickle", "a session dict that contains itself"),
        ("appended_to_itself", b"\x80\x02]q\x00(h\x00h\x00h\x00e.", "unsupported_pickle", "a list appended to itself three times"),
    ]


# Malformed pickles naming no global: CPython loads them (safely) and its exception is recorded.
MALFORMED = [
    ("empty", b"", "no data at all"),
    ("truncated", pickle.dumps({"_auth_user_id": "1"}, 5)[:-3], "cut short"),
    ("no_stop", b"\x80\x02K\x01", "no STOP"),
    ("invalid_opcode", b"\xff.", "not an opcode"),
    ("json_text", b'{"_auth_user_id": "1"}', "a JSON session read as a pickle"),
    ("stack_underflow", b"a.", "APPEND with nothing on the stack"),
    ("missing_mark", b"\x80\x02]K\x01e.", "APPENDS without a MARK"),
    ("memo_miss", b"\x80\x02h\x05.", "BINGET of an index never PUT"),
    ("unhashable_key", b"\x80\x02}]K\x01s.", "a list as a dict key"),
    ("unhashable_member", b"\x80\x04\x8f(]\x90.", "a list as a set member"),
    ("odd_setitems", b"\x80\x02}(K\x01u.", "SETITEMS with an odd number of items"),
    ("append_to_dict", b"\x80\x02}K\x01a.", "APPEND to a dict"),
    ("length_lie", b"\x80\x04\x8d" + (2**40).to_bytes(8, "little") + b"x.", "BINUNICODE8 claiming a terabyte"),
    ("negative_long4", b"\x80\x02\x8b\xff\xff\xff\xff.", "LONG4 with a negative length"),
    ("bad_utf8", b"\x80\x04\x8c\x02\xc3\x28.", "SHORT_BINUNICODE that is not UTF-8"),
    ("non_ascii_binstring", b"\x80\x02U\x01\xe9.", "SHORT_BINSTRING with a non-ASCII byte (decoded as ASCII)"),
    ("too_many_digits", b"L" + b"9" * 5000 + b"\n.", "LONG of 5000 decimal digits (Python 3.11 refuses more than 4300)"),
    ("bad_int", b"I12x\n.", "INT that is not a number"),
    ("unquoted_string", b"Sabc\n.", "STRING without quotes"),
    ("frame_past_end", b"\x80\x04\x95\xff\x00\x00\x00\x00\x00\x00\x00N.", "FRAME longer than the data"),
    ("stop_on_empty_stack", b"\x80\x02.", "STOP with nothing to return"),
]


def refused_cases():
    cases = []
    for name, data, reason, description in hostile() + huge():
        cases.append({"name": name, "pickle": b64(data), "reason": reason, "description": description, "python_error": None})
    for name, data, description in MALFORMED:
        try:
            pickle.loads(data)
            raise AssertionError("CPython loaded the malformed pickle %s" % name)
        except Exception as e:  # noqa: BLE001 -- record what CPython raised
            error = mv.exc_name(e)
        cases.append({"name": name, "pickle": b64(data), "reason": "bad_pickle", "description": description, "python_error": error})
    return cases


# --------------------------------------------------------------------------------------------
# sessions written by Django's SessionStore with PickleSerializer
# --------------------------------------------------------------------------------------------


class RawPickle:
    """A serializer that hands the signer bytes as they are: a hostile payload signed with the key."""

    data = b""

    def dumps(self, obj):
        return self.data


def signed_raw(data, key):
    RawPickle.data = data
    with override_settings(SECRET_KEY=key), mv.frozen_signing_time(mv.SIGNED_AT):
        return signing.dumps(None, salt=mv.DB_KEY_SALT, serializer=RawPickle, compress=True)


def pickle_encode(session_dict, key, protocol=None):
    with override_settings(SESSION_SERIALIZER=PICKLE), mock.patch.object(PickleSerializer, "protocol", protocol or pickle.HIGHEST_PROTOCOL):
        return mv.db_encode(session_dict, key)


def legacy_pickle_encode(session_dict, key):
    with override_settings(SESSION_SERIALIZER=PICKLE, SECRET_KEY=key, DEFAULT_HASHING_ALGORITHM="sha1"):
        return DbSessionStore()._legacy_encode(session_dict)


def pickle_login(spec, key, before=None, legacy=False):
    extra = {"DEFAULT_HASHING_ALGORITHM": "sha1"} if legacy else {}
    with override_settings(SESSION_SERIALIZER=PICKLE, **extra):
        return mv.real_login(spec, key, before=before)


KEY = mv.KEY_A
EXTRAS = {
    "last_seen": datetime.datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=pytz.utc),
    "basket_total": decimal.Decimal("19.99"),
    "order": uuid.UUID("0f0e0d0c-0b0a-0908-0706-050403020100"),
    "greeting": gettext_lazy("Welcome back"),
    "banner": mark_safe("<em>Sale</em>"),
    "tags": {"a", "b"},
    "history": [(1, datetime.date(2023, 11, 1)), (2, datetime.date(2023, 11, 2))],
}


def session_specs():
    alice, carol = mv.ALICE, mv.CAROL_INACTIVE
    ordered = collections.OrderedDict(step=2)
    return [
        ("login", "django.contrib.auth.login() with PickleSerializer", "logged_in", [alice], pickle_login(alice, KEY)),
        ("login_with_allow_listed_values", "login() into a session already holding datetime, Decimal, UUID, lazy and safe strings",
         "logged_in", [alice], pickle_login(alice, KEY, before=EXTRAS)),
        ("login_legacy_format", "login() with DEFAULT_HASHING_ALGORITHM='sha1': the pre-3.1 format and a SHA-1 auth hash",
         "logged_in_legacy_hash", [alice], pickle_login(alice, KEY, legacy=True)),
        ("legacy_format_sha256_hash", "SessionStore._legacy_encode of a login dict with the current hash", "logged_in", [alice],
         legacy_pickle_encode(mv.auth_dict(alice, KEY), KEY)),
        ("protocol_0", "encode() of a login dict with PickleSerializer.protocol = 0", "logged_in", [alice],
         pickle_encode(mv.auth_dict(alice, KEY, cart=[1, 2]), KEY, protocol=0)),
        ("protocol_2", "encode() with PickleSerializer.protocol = 2 (what Python 2 sites wrote)", "logged_in", [alice],
         pickle_encode(mv.auth_dict(alice, KEY, seen=datetime.date(2020, 1, 1)), KEY, protocol=2)),
        ("anonymous", "a session with data and no user", "anonymous", [alice], pickle_encode({"cart": [1], "when": EXTRAS["last_seen"]}, KEY)),
        ("inactive", "login() of an inactive user's dict", "inactive", [carol], pickle_encode(mv.auth_dict(carol, KEY), KEY)),
        ("hash_mismatch", "the password changed after login", "hash_mismatch", [mv.with_(alice, password=mv.md5_password("new", "newsalt"))],
         pickle_encode(mv.auth_dict(alice, KEY), KEY)),
        ("other_key", "signed with another secret key", "bad_signature", [alice], pickle_encode(mv.auth_dict(alice, mv.KEY_OTHER), mv.KEY_OTHER)),
        ("tampered", "one character of a pickled login changed", "bad_signature", [alice], mv.flip_char(pickle_encode(mv.auth_dict(alice, KEY), KEY), 5)),
        ("json_session", "a JSONSerializer session read by a PickleSerializer site", "bad_pickle", [alice], mv.db_encode(mv.auth_dict(alice, KEY), KEY)),
        ("not_allow_listed_value", "a login holding a collections.OrderedDict: Django logs in, the reader refuses the class",
         "unsupported_pickle", [alice], pickle_encode(mv.auth_dict(alice, KEY, wizard=ordered), KEY)),
    ]


def hostile_sessions():
    evil = {name: data for name, data, _reason, _description in hostile()}
    laughs = {name: data for name, data, _reason, _description in huge()}
    return [
        ("signed_os_system", "os.system under a valid signature (a leaked key)", "unsupported_pickle", evil["os_system_p5"]),
        ("signed_os_system_in_login", "a login dict with an os.system value, validly signed", "unsupported_pickle", evil["os_system_in_session"]),
        ("signed_eval", "builtins.eval under a valid signature", "unsupported_pickle", evil["builtins_eval"]),
        ("signed_billion_laughs", "memo-reference blow-up under a valid signature", "too_large", laughs["billion_laughs"]),
        ("signed_self_reference", "a session dict that contains itself, validly signed", "unsupported_pickle", laughs["self_dict"]),
    ]


def session_cases():
    cases = []
    for name, description, reason, users, data in session_specs():
        with override_settings(SESSION_SERIALIZER=PICKLE):
            case = run_session_case({"name": name, "description": description, "secret_key": KEY, "users": users, "session_data": data})
        try:
            case["decoded"] = plain(case["decoded"])
        except TypeError:  # a class outside the reader's mapping: Django's dict has no plain form
            case["decoded"] = None
        case["reason"] = reason
        cases.append(case)
    for name, description, reason, data in hostile_sessions():
        cases.append({
            "name": name, "description": description + ": not run through Django, which would execute it",
            "settings": mv.settings_block(KEY, [], [mv.MODEL_BACKEND]), "users": [mv.ALICE],
            "session_data": signed_raw(data, KEY), "decoded": None, "decode_error": None, "expected": None, "reason": reason,
        })
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    fixture_output.add_arguments(parser, os.path.join(mv.REPO, "test", "fixtures", "vectors", "pickle.json"))
    args = parser.parse_args()
    if django.VERSION[:2] >= (5, 0):
        sys.exit("Django %s has no PickleSerializer: run this with Debian's /usr/bin/python3 (Django 3.2)" % django.get_version())

    doc = {
        "django_version": django.get_version(),
        "python_version": "%d.%d" % sys.version_info[:2],
        "generated_by": GENERATED_BY,
        "marker": MARKER,
        "values": value_cases(),
        "refused": refused_cases(),
        "sessions": session_cases(),
    }
    for group in ("values", "refused", "sessions"):
        names = [c["name"] for c in doc[group]]
        assert len(names) == len(set(names)), "duplicate case names in " + group
    assert not os.path.exists(MARKER), "a hostile pickle ran while generating"
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    counts = "%d values, %d refused, %d sessions" % (len(doc["values"]), len(doc["refused"]), len(doc["sessions"]))
    fixture_output.emit(text, args, GENERATED_BY, "%d.%d" % django.VERSION[:2], counts)

if __name__ == "__main__":
    main()
