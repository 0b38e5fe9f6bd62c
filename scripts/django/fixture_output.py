"""Writes a generator's fixture, or with --check proves the committed one is what this Django writes.

Every generator in scripts/django/ ends with emit(): the same --check for all of them, so that
scripts/django/check-fixtures.sh can run each one alike. --check regenerates into a temporary file and compares
it with the committed fixture byte for byte; it prints one line either way, and on a difference exits non-zero
naming the file (with the start of a diff on stderr).
"""

import difflib
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


def add_arguments(parser, default_output):
    """--output and --check, alike in every generator."""
    parser.add_argument("--output", default=default_output, help='where to write ("-" for stdout)')
    parser.add_argument("--check", action="store_true", help="write nothing: fail unless the committed file is byte-identical to what this Django writes")


def emit(text, args, generator, django_version, summary=""):
    """Writes text to args.output (stdout for "-"), or compares it with args.output under args.check."""
    if args.check:
        check(text, args.output, generator, django_version)
        return
    if args.output == "-":
        sys.stdout.write(text)
        return
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(text)
    print("wrote %s%s" % (os.path.relpath(args.output, REPO), " (%s)" % summary if summary else ""), file=sys.stderr)


def check(text, committed, generator, django_version):
    where = os.path.relpath(committed, REPO)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".json", delete=False) as fresh:
        fresh.write(text)
    try:
        with open(fresh.name, "rb") as f:
            regenerated = f.read()
        try:
            with open(committed, "rb") as f:
                expected = f.read()
        except FileNotFoundError:
            sys.exit("check-fixtures: FAIL %s is missing: Django %s writes it (run %s)" % (where, django_version, generator))
        if regenerated != expected:
            diff = difflib.unified_diff(
                expected.decode("utf-8", "replace").splitlines(), regenerated.decode("utf-8", "replace").splitlines(),
                where, "what Django %s writes" % django_version, lineterm="", n=1,
            )
            print("\n".join(list(diff)[:40]), file=sys.stderr)
            sys.exit("check-fixtures: FAIL %s differs from what Django %s writes (regenerate it with %s)" % (where, django_version, generator))
    finally:
        os.unlink(fresh.name)
    print("check-fixtures: ok %s is byte-identical to what Django %s writes" % (where, django_version))
