#!/usr/bin/env python3
"""Golden vectors for permissions and groups, from real Django's User.has_perm and friends.

Builds, in an in-memory SQLite database migrated by Django itself, content types, permissions, groups and
users chosen to cover each rule of ModelBackend (group only, user only, both, superuser, inactive superuser,
inactive user with permissions, staff without permissions, an empty group, a dotted codename and app
label), then asks Django every question under several AUTHENTICATION_BACKENDS. The output holds the rows
it created, so the tests load the same rows into PostgreSQL and compare every answer.

Usage: make_permission_vectors.py [--output FILE | --check]
  /usr/bin/python3 (Debian's Django 3.2)  -> test/fixtures/vectors/permissions-3.2.json
  /tmp/dj52/bin/python (pip's Django 5.2) -> test/fixtures/vectors/permissions-5.2.json
Reproducible: fixed ids and names, no clock, sorted keys and lists. --check writes nothing and fails when the
committed file differs from what this Django writes (scripts/django/check-fixtures.sh runs it in CI).
"""
# check-fixtures: django 3.2 5.2

import argparse
import json
import os

import django
from django.conf import settings

import fixture_output

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ALLOW_ALL = "django.contrib.auth.backends.AllowAllUsersModelBackend"
REMOTE_USER = "django.contrib.auth.backends.RemoteUserBackend"
BASE_BACKEND = "django.contrib.auth.backends.BaseBackend"

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"],
    AUTHENTICATION_BACKENDS=[MODEL_BACKEND],
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=True,
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
django.setup()

from django.contrib.auth import load_backend  # noqa: E402
from django.contrib.auth.models import Group, Permission, User  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

# (app_label, model) -> codenames. "dotted.app" and "can.dot" show where the first "." splits a name.
EXTRA_PERMISSIONS = {
    ("blog", "post"): ["add_post", "change_post", "delete_post", "view_post", "publish_post", "can.dot"],
    ("blog", "comment"): ["moderate_comment"],
    ("shop", "order"): ["view_order", "refund_order"],
    ("dotted.app", "thing"): ["view_thing"],
    ("empty", "nothing"): [],
}

GROUPS = {
    "Editors": ["blog.add_post", "blog.change_post"],
    "Reviewers": ["blog.change_post", "blog.moderate_comment", "shop.view_order"],
    "Nobody's group": [],
    "Ünïcode Staff": ["shop.refund_order"],
}

# username -> flags, groups, user permissions
USERS = [
    ("group_only", dict(), ["Editors"], []),
    ("user_only", dict(), [], ["blog.view_post", "blog.can.dot"]),
    ("both", dict(), ["Editors", "Reviewers"], ["blog.change_post", "dotted.app.view_thing"]),
    ("superuser", dict(is_superuser=True, is_staff=True), ["Editors"], []),
    ("inactive_superuser", dict(is_superuser=True, is_staff=True, is_active=False), ["Editors"], ["shop.view_order"]),
    ("inactive_with_perms", dict(is_active=False), ["Reviewers"], ["blog.view_post"]),
    ("staff_without_permissions", dict(is_staff=True), [], []),
    ("empty_group_only", dict(), ["Nobody's group"], []),
    ("unicode_group", dict(), ["Ünïcode Staff", "Editors"], []),
    ("plain", dict(), [], []),
]

BACKEND_CONFIGS = [
    [MODEL_BACKEND],
    [ALLOW_ALL],
    [REMOTE_USER],
    [MODEL_BACKEND, ALLOW_ALL],
    [BASE_BACKEND],
]

EXTRA_PERM_QUESTIONS = ["blog.nonexistent", "blog", "", "BLOG.add_post", "dotted.app", "nonexistent.perm", "blog.can"]
PERMS_LISTS = [
    [],
    ["blog.add_post"],
    ["blog.add_post", "blog.change_post"],
    ["blog.change_post", "blog.moderate_comment", "shop.view_order"],
    ["blog.add_post", "blog.nonexistent"],
    ["blog.view_post", "blog.can.dot"],
]
APP_LABELS = ["blog", "shop", "auth", "contenttypes", "dotted", "dotted.app", "empty", "nonexistent", "", "BLOG"]


def permission(name):
    # A dotted app label: try the longest matching content type first.
    for ct in ContentType.objects.order_by("-app_label"):
        if name.startswith(ct.app_label + "."):
            found = Permission.objects.filter(content_type=ct, codename=name[len(ct.app_label) + 1 :]).first()
            if found:
                return found
    raise LookupError(name)


def build():
    call_command("migrate", verbosity=0, interactive=False)
    for (app_label, model), codenames in EXTRA_PERMISSIONS.items():
        ct = ContentType.objects.create(app_label=app_label, model=model)
        for codename in codenames:
            Permission.objects.create(content_type=ct, codename=codename, name="Can %s" % codename)
    for name, perms in GROUPS.items():
        group = Group.objects.create(name=name)
        group.permissions.set([permission(p) for p in perms])
    for username, flags, groups, perms in USERS:
        user = User.objects.create_user(username=username, password="unused", **flags)
        user.groups.set([Group.objects.get(name=g) for g in groups])
        user.user_permissions.set([permission(p) for p in perms])


def rows():
    def table(queryset, *fields):
        return [dict(zip(fields, values)) for values in queryset.order_by("pk").values_list(*fields)]

    return {
        "django_content_type": table(ContentType.objects, "id", "app_label", "model"),
        "auth_permission": table(Permission.objects, "id", "name", "content_type_id", "codename"),
        "auth_group": table(Group.objects, "id", "name"),
        "auth_group_permissions": table(Group.permissions.through.objects, "id", "group_id", "permission_id"),
        "auth_user": table(User.objects, "id", "username", "is_active", "is_staff", "is_superuser"),
        "auth_user_groups": table(User.groups.through.objects, "id", "user_id", "group_id"),
        "auth_user_user_permissions": table(User.user_permissions.through.objects, "id", "user_id", "permission_id"),
    }


def answers(username):
    every = sorted("%s.%s" % pair for pair in Permission.objects.values_list("content_type__app_label", "codename"))
    questions = sorted(set(every) | set(EXTRA_PERM_QUESTIONS))

    def fresh():
        # Django caches permissions on the user object: every question starts from a new one.
        return User.objects.get(username=username)

    return {
        "get_all_permissions": sorted(fresh().get_all_permissions()),
        "get_user_permissions": sorted(fresh().get_user_permissions()),
        "get_group_permissions": sorted(fresh().get_group_permissions()),
        "has_perm": {perm: fresh().has_perm(perm) for perm in questions},
        "has_perms": [{"perms": perms, "answer": fresh().has_perms(perms)} for perms in PERMS_LISTS],
        "has_module_perms": {label: fresh().has_module_perms(label) for label in APP_LABELS},
        "groups": sorted(fresh().groups.values_list("name", flat=True)),
    }


def session_backend(backends):
    # The backend a log-in records in the session: an AllowAllUsers one where listed, so inactive users log in.
    return next((b for b in backends if "AllowAllUsers" in b), backends[0])


def cases():
    out = []
    for backends in BACKEND_CONFIGS:
        backend = session_backend(backends)
        with override_settings(AUTHENTICATION_BACKENDS=backends):
            for username, _flags, _groups, _perms in USERS:
                user = User.objects.get(username=username)
                out.append(
                    {
                        "authentication_backends": backends,
                        "username": username,
                        "session_backend": backend,
                        # get_user()'s backend step: whether request.user is this user or AnonymousUser.
                        "logged_in": load_backend(backend).get_user(user.pk) is not None,
                        "answers": answers(username),
                    }
                )
    return out


def main():
    version = "%d.%d" % django.VERSION[:2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    fixture_output.add_arguments(parser, os.path.join(REPO, "test", "fixtures", "vectors", "permissions-%s.json" % version))
    args = parser.parse_args()
    build()
    document = {
        "django_version": django.get_version(),
        "generated_by": "scripts/django/make_permission_vectors.py",
        "rows": rows(),
        "cases": cases(),
    }
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    fixture_output.emit(text, args, document["generated_by"], version, "%d cases" % len(document["cases"]))

if __name__ == "__main__":
    main()
