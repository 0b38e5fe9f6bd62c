#!/usr/bin/env python3
"""Generate golden test vectors for the TypeScript Django port, using REAL Django.

Usage (from the repository root, or anywhere -- paths are resolved from this file):

    /usr/bin/python3 scripts/django/make_vectors.py        # Debian's Django 3.2 -> test/fixtures/vectors/django-3.2.json
    /tmp/dj52/bin/python scripts/django/make_vectors.py    # Django 5.2 venv     -> test/fixtures/vectors/django-5.2.json

Options:
    --output PATH   write somewhere else ("-" for stdout)
    --check         write nothing; fail unless the committed file is what this Django writes

One module per topic in scripts/django/vectors/ (common.py configures Django and holds the shared keys,
users and helpers). A topic module defines sections() -> {fixture key: value}; the file holds the core
topics first (TOPICS, in this order) and then every other topic module of the package in name order, so a
new topic is a new file there and nothing here changes.

Every value in the output comes from Django itself. Hand-built *inputs* (tampered or truncated strings,
payloads signed over arbitrary bytes, the pre-3.1 session format on Django >= 4.0) are labelled in each
case's description; the *verdicts* are always Django's. If Django raises while deciding, the exception
class name is recorded and the verdict is "not authenticated" (or "rejected").

The output is deterministic: clocks are frozen, salts and keys are fixed and the sections come in a fixed
order, so re-running must produce a byte-identical file (scripts/django/check-fixtures.sh checks it in CI).
"""
# check-fixtures: django 3.2 5.2

import argparse
import importlib
import json
import os
import pkgutil
import fixture_output
from vectors import common

TOPICS = ("sessions", "signed_cookies", "primitives")


def topic_modules():
    others = sorted(m.name for m in pkgutil.iter_modules([common.HERE]) if m.name not in TOPICS + ("common",))
    return [importlib.import_module("vectors." + name) for name in TOPICS + tuple(others)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    version_tag = "%d.%d" % common.django.VERSION[:2]
    default_out = os.path.join(common.REPO, "test", "fixtures", "vectors", "django-%s.json" % version_tag)
    fixture_output.add_arguments(parser, default_out)
    args = parser.parse_args()

    doc = {"django_version": common.django.get_version(), "generated_by": common.GENERATED_BY}
    for module in topic_modules():
        for key, value in module.sections().items():
            assert key not in doc, "two topics write %s" % key
            if isinstance(value, list) and value and isinstance(value[0], dict) and "name" in value[0]:
                names = [c["name"] for c in value]
                assert len(names) == len(set(names)), "duplicate case names in %s" % key
            doc[key] = value

    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    counts = ", ".join("%d %s" % (len(v), k) for k, v in doc.items() if isinstance(v, list))
    fixture_output.emit(text, args, common.GENERATED_BY, version_tag, counts)


if __name__ == "__main__":
    main()
