"""Prints Django's own request.user for session keys: what AuthenticationMiddleware would decide for each."""
import json
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.core.management.base import BaseCommand
from django.http import HttpRequest


class Command(BaseCommand):
    help = 'Prints {session key: {"authenticated": bool, "id": str or null}} as JSON.'

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="+", metavar="SESSION_KEY")

    def handle(self, *args, **options):
        engine = import_module(settings.SESSION_ENGINE)
        verdicts = {}
        for key in options["keys"]:
            # What SessionMiddleware and AuthenticationMiddleware do with the cookie: the session, then get_user().
            request = HttpRequest()
            request.session = engine.SessionStore(key)
            user = get_user(request)
            verdicts[key] = {"authenticated": user.is_authenticated, "id": str(user.pk) if user.is_authenticated else None}
        self.stdout.write(json.dumps(verdicts))
