#!/usr/bin/env python3
"""Golden vectors for Python's whitespace rules where Django applies them, from REAL Django.

Usage (from anywhere; paths are resolved from this file):

    /usr/bin/python3 scripts/django/make_whitespace_vectors.py        # Debian's Django 3.2
    /work/venv52/bin/python scripts/django/make_whitespace_vectors.py  # Django 5.2
    -> test/fixtures/vectors/whitespace-<major.minor>.json  (--output PATH to write elsewhere)
    ... --check    writes nothing; fails when the committed file differs from what this Django writes

Python has more than one whitespace rule, and neither is JavaScript's:

  * get_user() reads _auth_user_id through AutoField.to_python, i.e. int(), which strips ASCII
    " \\t\\n\\v\\f\\r" and non-ASCII str.isspace() characters, but not U+001C..U+001F (isspace() is true for
    them, and int() raises). For every code point where str.isspace() is true, and a few where it is not,
    alice's login is saved by SessionStore.encode() with that character before, after and around her id,
    and get_user() judges it on a real HttpRequest (an exception is recorded by name: not logged in).
  * parse_cookie() strips each name and value with str.strip(): isspace() characters, so U+001C..U+001F
    and U+0085 too, but not U+FEFF (which JavaScript's trim() strips).

Deterministic: fixed keys and clock, code points in order, so --check compares byte for byte.
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
    ALICE, KEY_A, MODEL_BACKEND, DbSessionStore, HttpRequest, Session, auth_dict, create_users, db_encode,
    delete_users, override_settings, verdict,
)
from django.http.cookie import parse_cookie  # noqa: E402
from django.utils import timezone  # noqa: E402

GENERATED_BY = "scripts/django/make_whitespace_vectors.py"
ROW_KEY = "whitespacesessionkey0123456789ab"
# Characters JavaScript's \s or trim() treats as whitespace and Python does not, and one neither does.
NOT_PYTHON_SPACE = [0xFEFF, 0x200B, 0x180E, 0x00]


def python_spaces():
    return [code for code in range(0x110000) if chr(code).isspace()]


def get_user_verdict(user_id):
    session_data = db_encode(auth_dict(ALICE, KEY_A, _auth_user_id=user_id), KEY_A)
    with override_settings(SECRET_KEY=KEY_A, AUTHENTICATION_BACKENDS=[MODEL_BACKEND]):
        Session.objects.all().delete()
        create_users([ALICE])
        try:
            Session.objects.create(session_key=ROW_KEY, session_data=session_data,
                                   expire_date=timezone.now() + datetime.timedelta(days=1))
            request = HttpRequest()
            request.session = DbSessionStore(ROW_KEY)
            return session_data, verdict(request)
        finally:
            delete_users([ALICE])
            Session.objects.all().delete()


def user_id_cases():
    cases = []
    for code in python_spaces() + NOT_PYTHON_SPACE:
        char = chr(code)
        for where, user_id in [("before", char + "1"), ("after", "1" + char), ("around", char + "1" + char)]:
            session_data, expected = get_user_verdict(user_id)
            cases.append({
                "name": "U+%04X_%s" % (code, where),
                "code_point": code,
                "isspace": char.isspace(),
                "user_id": user_id,
                "session_data": session_data,
                "expected": expected,
            })
    return cases


def cookie_cases():
    cases = []
    for code in python_spaces() + NOT_PYTHON_SPACE:
        char = chr(code)
        header = "%ssessionid%s=%sabc%s;%sother=x%s" % (char, char, char, char, char, char)
        cases.append({"name": "U+%04X" % code, "code_point": code, "isspace": char.isspace(), "header": header,
                      "parsed": parse_cookie(header)})
    return cases


def main():
    version = "%d.%d" % common.django.VERSION[:2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    fixture_output.add_arguments(parser, os.path.join(common.REPO, "test", "fixtures", "vectors", "whitespace-%s.json" % version))
    args = parser.parse_args()
    document = {
        "django_version": common.django.get_version(),
        "python_version": "%d.%d" % sys.version_info[:2],
        "generated_by": GENERATED_BY,
        "secret_key": KEY_A,
        "users": [ALICE],
        "python_spaces": python_spaces(),
        "user_id_cases": user_id_cases(),
        "cookie_cases": cookie_cases(),
    }
    text = json.dumps(document, indent=2, ensure_ascii=True) + "\n"
    fixture_output.emit(text, args, GENERATED_BY, version, "%d user id cases, %d cookie cases" % (len(document["user_id_cases"]), len(document["cookie_cases"])))

if __name__ == "__main__":
    main()
