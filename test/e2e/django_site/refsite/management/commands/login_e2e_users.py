"""Logs users in as Django's login view does (authenticate(), then login()) and prints their session keys."""
import json
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client


class Command(BaseCommand):
    help = "Logs each user in with the password in E2E_USER_PASSWORD; prints {username: session key} as JSON."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")

    def handle(self, *args, **options):
        password = os.environ.get("E2E_USER_PASSWORD")
        if not password:
            raise CommandError("E2E_USER_PASSWORD is not set")
        keys = {}
        for username in options["usernames"]:
            # A client of its own per user: one session each, saved by the session engine as on a real log-in.
            client = Client()
            if not client.login(username=username, password=password):
                raise CommandError("%s could not log in" % username)
            keys[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.stdout.write(json.dumps(keys))
