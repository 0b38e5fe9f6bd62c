#!/usr/bin/env python3
"""Asks REAL Django (the reference site's settings, DATABASE_URL's database) about log-ins, for test/django-writes.test.ts.

    python3 django_auth_probe.py user <session_key>          -> {"authenticated": bool, "username": str|null}
    python3 django_auth_probe.py login <username> <password> -> {"session_key": str|null}  (authenticate() + login())
    python3 django_auth_probe.py check <username> <password> -> {"valid": bool}           (User.check_password)
    python3 django_auth_probe.py exists <session_key>        -> {"exists": bool}
    python3 django_auth_probe.py last_login <username>       -> {"last_login": ISO 8601 with its offset}

The password comes on the command line only in tests, with throwaway passwords.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e", "django_site"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refsite.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import authenticate, get_user, get_user_model, login  # noqa: E402
from django.contrib.sessions.middleware import SessionMiddleware  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402


def main(command, *args):
    if command == "user":
        request = HttpRequest()
        request.session = SessionMiddleware(lambda r: HttpResponse()).SessionStore(args[0])
        user = get_user(request)
        return {"authenticated": user.is_authenticated, "username": user.get_username() if user.is_authenticated else None}
    if command == "login":
        request = RequestFactory().post("/accounts/login/")
        result = {}

        def view(request):
            user = authenticate(request, username=args[0], password=args[1])
            if user is not None:
                login(request, user)
                result["session_key"] = request.session.session_key
            return HttpResponse()

        SessionMiddleware(view)(request)
        return {"session_key": result.get("session_key")}
    if command == "check":
        return {"valid": get_user_model()._default_manager.get_by_natural_key(args[0]).check_password(args[1])}
    if command == "exists":
        return {"exists": Session.objects.filter(session_key=args[0]).exists()}
    if command == "last_login":
        return {"last_login": get_user_model()._default_manager.get_by_natural_key(args[0]).last_login.isoformat()}
    raise SystemExit("unknown command %r" % command)


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
