"""Creates the end-to-end tests' users through Django's own user manager, so the password hashes are real."""
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Creates active, inactive and staff users, all with the password in E2E_USER_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("--active", nargs="*", default=[], metavar="USERNAME")
        parser.add_argument("--inactive", nargs="*", default=[], metavar="USERNAME")
        # Superusers, as `createsuperuser` makes them: staff, so Django's admin lets them in.
        parser.add_argument("--staff", nargs="*", default=[], metavar="USERNAME")

    def handle(self, *args, **options):
        # From the environment, not argv: a password on the command line is visible to every local user.
        password = os.environ.get("E2E_USER_PASSWORD")
        if not password:
            raise CommandError("E2E_USER_PASSWORD is not set")
        users = get_user_model().objects
        for username in options["active"]:
            users.create_user(username, password=password)
        for username in options["inactive"]:
            users.create_user(username, password=password, is_active=False)
        for username in options["staff"]:
            users.create_superuser(username, password=password)
